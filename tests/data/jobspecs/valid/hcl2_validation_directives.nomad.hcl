# Exercises: more variable validation (functions in conditions, escaped quotes in error_message), %{ if }/%{ else } in quoted strings, heredoc with %{ for } over a map, conditionals choosing blocks' values, splats.
variable "environment" {
  type        = string
  description = "Deployment environment."
  default     = "staging"

  validation {
    condition     = lower(var.environment) == var.environment
    error_message = "Use lower case, e.g. \"staging\"."
  }
}

variable "listeners" {
  type        = map(number)
  description = "Listener name to port inside the container."
  default = {
    http    = 8080
    metrics = 9102
  }

  validation {
    condition     = length(var.listeners) >= 1 && length(var.listeners) <= 4
    error_message = "Between one and four listeners."
  }
}

variable "admins" {
  type = list(object({
    name  = string
    email = string
  }))
  default = [
    { name = "ops", email = "ops@example.com" },
    { name = "sre", email = "sre@example.com" },
  ]
}

job "envoy-edge" {
  datacenters = ["dc1"]
  priority    = var.environment == "production" ? 90 : 50

  group "edge" {
    count = var.environment == "production" ? 3 : 1

    network {
      port "http" {
        to = var.listeners["http"]
      }

      port "metrics" {
        to = lookup(var.listeners, "metrics", 9102)
      }
    }

    task "envoy" {
      driver = "docker"

      config {
        image = "envoyproxy/envoy:v1.30-latest"
        ports = ["http", "metrics"]
        args  = ["--config-path", "/local/envoy.yaml", "--log-level", "%{ if var.environment == "production" }warn%{ else }debug%{ endif }"]
      }

      env {
        ADMIN_EMAILS = join(",", var.admins[*].email)
      }

      template {
        destination = "local/envoy.yaml"
        data        = <<EOF
# generated for ${var.environment}
listeners:
%{ for name, port in var.listeners ~}
  - name: ${name}
    port: ${port}
%{ endfor ~}
admins: [${join(", ", [for a in var.admins : format("%q", a.name)])}]
EOF
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
