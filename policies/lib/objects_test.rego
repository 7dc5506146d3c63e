package labcheck.lib.objects_test

import data.labcheck.lib.objects

obj := {
	"kind": "StatefulSet", "name": "minio", "namespace": "", "line": 3,
	"lines": {"spec": 7, "spec.template.spec.containers[0]": 12, "spec.template.spec.containers[0].image": 14},
}

test_line_exact if objects.line(obj, "spec.template.spec.containers[0].image") == 14

test_line_nearest_parent if objects.line(obj, "spec.template.spec.containers[0].resources.limits") == 12

test_line_parent_of_array if objects.line(obj, "spec.replicas") == 7

test_line_object_line_when_nothing_known if objects.line(obj, "metadata.labels") == 3

test_line_without_lines if objects.line({"line": 5}, "spec") == 5

test_line_in_fallback if objects.line_in({"image": 4}, "replicas", 0) == 0

test_line_in_dotted if objects.line_in({"image": 4, "image.tag": 5}, "image.pullPolicy", 0) == 4

test_namespace_default if objects.namespace(obj) == "default"

test_namespace_written if objects.namespace({"namespace": "minio"}) == "minio"

test_label if objects.label(obj) == "StatefulSet minio"

test_labels_text if objects.labels_text({"b": "2", "a": "1"}) == "a=1, b=2"

test_labels_text_empty if objects.labels_text({}) == "no labels"

test_selects if objects.selects({"app": "minio"}, {"app": "minio", "tier": "db"})

test_selects_not_other_value if not objects.selects({"app": "minio"}, {"app": "web"})

test_selects_not_missing_label if not objects.selects({"app": "minio"}, {})

test_empty_selector_selects_all if objects.selects({}, {"app": "minio"})

test_not_a_selector if not objects.selects("app=minio", {"app": "minio"})
