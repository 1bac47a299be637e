# Exercises: a combined real-world job: variables+locals, nested %{ for }/%{ if } in a quoted string, prestart lifecycle, ephemeral_disk, task service with check_restart and canary_meta, scaling, vault, identity.
variable "hostname" {
  type        = string
  description = "Public host name of the identity provider."
  default     = "login.example.com"
}

variable "realms" {
  type    = list(string)
  default = ["customers", "staff"]
}

locals {
  # "customers,staff": a comma before every realm but the first.
  realm_list = "%{ for i, r in var.realms }%{ if i > 0 },%{ endif }${r}%{ endfor }"
}

job "keycloak" {
  datacenters = ["dc1"]

  group "keycloak" {
    count = 2

    update {
      canary       = 1
      auto_revert  = true
      auto_promote = true
    }

    scaling {
      min     = 2
      max     = 4
      enabled = false
    }

    ephemeral_disk {
      size   = 1024
      sticky = true
    }

    network {
      port "http" {
        to = 8080
      }
    }

    task "wait-for-postgres" {
      driver = "docker"

      lifecycle {
        hook = "prestart"
      }

      config {
        image = "postgres:16"
        args  = ["pg_isready", "--host", "postgres.service.consul", "--timeout", "60"]
      }
    }

    task "keycloak" {
      driver = "docker"

      vault {
        role = "keycloak"
      }

      identity {
        env = true
      }

      config {
        image = "quay.io/keycloak/keycloak:25.0"
        ports = ["http"]
        args  = ["start", "--hostname=${var.hostname}", "--import-realm"]
      }

      env {
        KC_REALMS = local.realm_list
      }

      service {
        name = "keycloak"
        port = "http"
        tags = ["urlprefix-${var.hostname}/", "traefik.enable=true", "traefik.http.routers.kc.rule=Host(`${var.hostname}`)"]

        canary_meta {
          track = "canary"
        }

        check {
          type     = "http"
          path     = "/health/ready"
          interval = "15s"
          timeout  = "5s"

          check_restart {
            limit = 5
            grace = "2m"
          }
        }
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
