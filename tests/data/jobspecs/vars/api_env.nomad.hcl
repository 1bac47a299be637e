# Exercises: required variables of types list(string), map(string), object({...}) and bool, all supplied by api_env.vars.hcl; one defaulted variable overridden there.
variable "datacenters" {
  type = list(string)
}

variable "env_vars" {
  type        = map(string)
  description = "Extra environment for the API process."
}

variable "sizing" {
  type = object({
    count  = number
    cpu    = number
    memory = number
  })
}

variable "public" {
  type = bool
}

variable "image" {
  type    = string
  default = "registry.example.com/accounts-api:1.0.0"
}

job "accounts-api" {
  datacenters = var.datacenters

  group "api" {
    count = var.sizing.count

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "accounts-api"
      port = "http"
      tags = var.public ? ["urlprefix-/accounts", "public"] : ["internal"]
    }

    task "api" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]
      }

      env = var.env_vars

      resources {
        cpu    = var.sizing.cpu
        memory = var.sizing.memory
      }
    }
  }
}
