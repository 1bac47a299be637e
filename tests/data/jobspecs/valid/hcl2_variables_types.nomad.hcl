# Exercises: variable blocks of every type (string, number, bool, list(string), map(string), object({...}), untyped) with default, description and validation; var.x references incl. attribute access.
variable "datacenters" {
  type        = list(string)
  description = "Datacenters the job may be placed in."
  default     = ["dc1", "dc2"]

  validation {
    condition     = length(var.datacenters) > 0
    error_message = "At least one datacenter is required."
  }
}

variable "image_tag" {
  type        = string
  description = "nginx image tag."
  default     = "1.27.0"
}

variable "replicas" {
  type        = number
  description = "Number of web instances."
  default     = 3

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 20
    error_message = "The replicas value must be between 1 and 20."
  }
}

variable "debug" {
  type    = bool
  default = false
}

variable "labels" {
  type = map(string)
  default = {
    team        = "web"
    cost_center = "cc-1234"
  }
}

variable "resources" {
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 250
    memory = 256
  }
}

# No type: the variable takes the type of its value.
variable "environment" {
  default = "staging"

  validation {
    condition     = var.environment == "staging" || var.environment == "production"
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

job "nginx-web" {
  datacenters = var.datacenters
  meta        = var.labels

  group "web" {
    count = var.replicas

    network {
      port "http" {
        to = 80
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image = "nginx:${var.image_tag}"
        ports = ["http"]
        args  = var.debug ? ["nginx-debug", "-g", "daemon off;"] : ["nginx", "-g", "daemon off;"]
      }

      env {
        ENVIRONMENT = var.environment
      }

      resources {
        cpu    = var.resources.cpu
        memory = var.resources["memory"]
      }
    }
  }
}
