# Values for registry_mirror.nomad.hcl (pass with -var-file).
upstream_url  = "https://registry-1.docker.io"
cache_size_mb = 4096
