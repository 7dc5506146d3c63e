package imagebuild

import "testing"

func TestResolveUser(t *testing.T) {
	passwd := []byte("root:x:0:0:root:/root:/sbin/nologin\n# comment\napp:x:1001:1002::/home/app:/sbin/nologin\nbroken\n")
	group := []byte("root:x:0:\nstaff:x:50:\napp:x:1002:\n")
	for _, tc := range []struct {
		user, uid, gid string
		err            bool
	}{
		{"", "0", "0", false},
		{"root", "0", "0", false},
		{"1001:1001", "1001", "1001", false},
		{"1001", "1001", "1002", false}, // the passwd entry's primary group
		{"4242", "4242", "0", false},    // numbers need no entry
		{"app", "1001", "1002", false},
		{"app:staff", "1001", "50", false},
		{"app:7", "1001", "7", false},
		{"nobody", "", "", true},
		{"app:wheel", "", "", true},
	} {
		uid, gid, err := ResolveUser(tc.user, passwd, group)
		if (err != nil) != tc.err || uid != tc.uid || gid != tc.gid {
			t.Errorf("ResolveUser(%q) = %q, %q, %v; want %q, %q, error %v", tc.user, uid, gid, err, tc.uid, tc.gid, tc.err)
		}
	}
	// An image without /etc/passwd (FROM scratch) resolves numbers only.
	if uid, _, err := ResolveUser("10001:10001", nil, nil); err != nil || uid != "10001" {
		t.Errorf("scratch image: %q, %v", uid, err)
	}
	if _, _, err := ResolveUser("app", nil, nil); err == nil {
		t.Error("a name with no /etc/passwd resolved")
	}
}
