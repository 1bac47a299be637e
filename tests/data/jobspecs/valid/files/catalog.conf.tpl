# catalog service configuration, rendered by Nomad's template runner.
# Read verbatim by file() in hcl2_functions_collections.nomad.hcl: nothing in
# here is evaluated by HCL, so ${...} below stays as it is.
listen_addr = "0.0.0.0:{{ env "NOMAD_PORT_http" }}"
alloc_id    = "{{ env "NOMAD_ALLOC_ID" }}"
data_dir    = "${NOMAD_ALLOC_DIR}/data"

{{ range service "postgres" }}
database_url = "postgres://catalog@{{ .Address }}:{{ .Port }}/catalog"
{{ end }}
