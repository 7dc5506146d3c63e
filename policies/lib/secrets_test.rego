package labcheck.lib.secrets_test

import data.labcheck.lib.secrets

test_secret_names if {
	every name in ["MINIO_ROOT_PASSWORD", "DB_PASSWD", "client_secret", "GITHUB_TOKEN", "API_KEY", "apikey", "AWS_ACCESS_KEY_ID", "PRIVATE_KEY", "GOOGLE_CREDENTIALS"] {
		secrets.secret_name(name)
	}
}

test_file_names_are_not_secrets if {
	every name in ["MINIO_ROOT_PASSWORD_FILE", "POSTGRES_PASSWORD_FILE", "TOKEN_PATH", "SECRETS_DIR", "private_key_filename"] {
		not secrets.secret_name(name)
	}
}

test_plain_names_are_not_secrets if {
	every name in ["MINIO_ROOT_USER", "PORT", "GPG_KEY", "MINIO_VOLUMES"] {
		not secrets.secret_name(name)
	}
}

test_credentials if {
	every v in ["minio123", "s3cr3t-Value", "12345678", "  hunter2 "] {
		secrets.credential(v)
	}
}

test_flags_references_and_empty_are_not_credentials if {
	every v in ["no", "No", "true", "FALSE", "yes", "on", "off", "0", "1", "", "  ", "$MINIO_ROOT_PASSWORD", "${API_KEY}", "empty"] {
		not secrets.credential(v)
	}
}

test_non_strings_are_not_credentials if {
	not secrets.credential(true)
	not secrets.credential(null)
}
