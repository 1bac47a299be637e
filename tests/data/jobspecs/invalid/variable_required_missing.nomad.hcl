# error: 2:1: registry_token
variable "registry_token" {
  type        = string
  description = "Token for the private registry; has no default."
}

job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "registry.example.com/api:1.0"
      }

      env {
        REGISTRY_TOKEN = var.registry_token
      }
    }
  }
}
