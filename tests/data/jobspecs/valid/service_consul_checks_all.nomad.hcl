# Exercises: consul service with tagged_addresses, service meta block, enable_tag_override, on_update, and http/tcp/script/grpc checks with initial_status, success_before_passing, failures_before_critical, check_restart.
job "inventory" {
  datacenters = ["dc1"]

  group "inventory" {
    count = 2

    network {
      port "http" {}
      port "grpc" {}
    }

    task "inventory" {
      driver = "docker"

      config {
        image = "registry.example.com/inventory:4.2.0"
        ports = ["http", "grpc"]
      }

      service {
        provider            = "consul"
        name                = "inventory"
        port                = "http"
        address_mode        = "host"
        enable_tag_override = false
        on_update           = "require_healthy"
        tags                = ["http", "urlprefix-/inventory"]

        tagged_addresses = {
          lan = "${NOMAD_IP_http}"
        }

        meta {
          owner     = "logistics"
          alloc_idx = "${NOMAD_ALLOC_INDEX}"
        }

        check {
          name                     = "http-health"
          type                     = "http"
          path                     = "/health?full=1"
          method                   = "GET"
          protocol                 = "http"
          interval                 = "10s"
          timeout                  = "2s"
          initial_status           = "warning"
          success_before_passing   = 2
          failures_before_critical = 3

          check_restart {
            limit           = 3
            grace           = "90s"
            ignore_warnings = false
          }
        }

        check {
          name      = "db-migrations"
          type      = "script"
          command   = "/bin/sh"
          args      = ["-c", "/app/bin/inventory migrate --status"]
          interval  = "60s"
          timeout   = "10s"
          on_update = "ignore_warnings"

          check_restart {
            limit           = 2
            grace           = "5m"
            ignore_warnings = true
          }
        }
      }

      service {
        name = "inventory-grpc"
        port = "grpc"
        tags = ["grpc"]

        check {
          name            = "grpc-health"
          type            = "grpc"
          port            = "grpc"
          grpc_service    = "inventory.v1.Inventory"
          grpc_use_tls    = true
          tls_skip_verify = true
          interval        = "15s"
          timeout         = "3s"
        }

        check {
          name      = "grpc-tcp"
          type      = "tcp"
          interval  = "30s"
          timeout   = "2s"
          on_update = "ignore"
        }
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
