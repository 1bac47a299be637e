# Exercises: vault {} (role, change_mode, change_signal) and identity {} (default and named with aud/ttl/env/file) blocks kept as given, template reading a Vault secret.
job "reporting-api" {
  datacenters = ["dc1"]
  namespace   = "finance"

  group "api" {
    network {
      port "http" {}
    }

    task "api" {
      driver = "docker"

      vault {
        role          = "reporting-api"
        change_mode   = "signal"
        change_signal = "SIGHUP"
      }

      identity {
        env  = true
        file = true
      }

      identity {
        name = "aws"
        aud  = ["sts.amazonaws.com"]
        ttl  = "1h"
        file = true
      }

      template {
        destination = "secrets/db.env"
        env         = true
        data        = <<EOF
{{ with secret "database/creds/reporting" }}
DB_USER={{ .Data.username }}
DB_PASSWORD={{ .Data.password }}
{{ end }}
EOF
      }

      config {
        image = "registry.example.com/finance/reporting-api:3.0.1"
        ports = ["http"]
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
