# Exercises: java driver (jar_path, jvm_options, args), artifact with checksum option, -D system properties using ${NOMAD_PORT_http} and ${NOMAD_IP_http}.
job "billing" {
  datacenters = ["dc1"]

  group "billing" {
    count = 2

    network {
      port "http" {}
    }

    service {
      name = "billing"
      port = "http"
      tags = ["urlprefix-/billing"]

      check {
        type     = "http"
        path     = "/q/health/ready"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "billing" {
      driver = "java"

      artifact {
        source      = "https://artifacts.example.com/billing/billing-1.12.0-runner.jar"
        destination = "local/billing.jar"
        mode        = "file"

        options {
          checksum = "sha256:9f2a1c3e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a"
        }
      }

      config {
        jar_path = "local/billing.jar"
        jvm_options = [
          "-Xms384m",
          "-Xmx384m",
          "-Dquarkus.http.port=${NOMAD_PORT_http}",
          "-Dquarkus.http.host=${NOMAD_IP_http}",
        ]
        args = ["--profile", "prod"]
      }

      resources {
        cpu    = 1000
        memory = 512
      }
    }
  }
}
