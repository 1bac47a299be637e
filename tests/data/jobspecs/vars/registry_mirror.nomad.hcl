# Exercises: required variables (no default) of type string and number, supplied by registry_mirror.vars.hcl; validation on a required variable.
variable "upstream_url" {
  type        = string
  description = "Registry to mirror, e.g. https://registry-1.docker.io."
}

variable "cache_size_mb" {
  type = number

  validation {
    condition     = var.cache_size_mb >= 1024
    error_message = "The cache needs at least 1024 MB."
  }
}

variable "listen_port" {
  type    = number
  default = 5000
}

job "registry-mirror" {
  datacenters = ["dc1"]

  group "mirror" {
    network {
      port "registry" {
        static = var.listen_port
      }
    }

    service {
      name = "registry-mirror"
      port = "registry"

      check {
        type     = "http"
        path     = "/v2/"
        interval = "15s"
        timeout  = "3s"
      }
    }

    task "registry" {
      driver = "docker"

      config {
        image = "registry:2.8"
        ports = ["registry"]
      }

      env {
        REGISTRY_PROXY_REMOTEURL = var.upstream_url
        REGISTRY_HTTP_ADDR       = "0.0.0.0:${var.listen_port}"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }

    ephemeral_disk {
      size = var.cache_size_mb
    }
  }
}
