# Exercises: two locals blocks (locals referring to locals), conditionals, for expressions in list and object form with if filters, splats [*] and .*, arithmetic/comparison/logic operators, list(object) variable.
variable "env" {
  type    = string
  default = "production"
}

variable "upstreams" {
  type = list(object({
    name    = string
    port    = number
    enabled = bool
  }))
  default = [
    { name = "users", port = 8081, enabled = true },
    { name = "orders", port = 8082, enabled = true },
    { name = "legacy", port = 8083, enabled = false },
  ]
}

locals {
  is_prod        = var.env == "production"
  replicas       = local.is_prod ? 4 : 1
  upstream_names = var.upstreams[*].name
  upstream_ports = var.upstreams.*.port
}

locals {
  enabled_upstreams = [for u in var.upstreams : u.name if u.enabled]
  upstream_env      = { for u in var.upstreams : "UPSTREAM_${upper(u.name)}" => "127.0.0.1:${u.port}" if u.enabled }
  max_parallel      = local.replicas > 2 ? local.replicas / 2 : 1
  health_grace      = "${local.is_prod ? 30 : 10}s"
  memory_mb         = 128 + 64 * (local.is_prod ? 2 : 1)
}

job "gateway" {
  datacenters = ["dc1"]
  priority    = local.is_prod && length(local.enabled_upstreams) > 1 ? 80 : 40

  update {
    max_parallel     = local.max_parallel
    min_healthy_time = local.health_grace
  }

  group "gateway" {
    count = local.replicas

    task "gateway" {
      driver = "docker"

      config {
        image = "registry.example.com/gateway:3.2"
        args  = concat(["--routes"], local.enabled_upstreams)
      }

      env = local.upstream_env

      meta = {
        upstream_count = length(local.upstream_names)
        first_port     = local.upstream_ports[0]
        all_names      = join(",", local.upstream_names)
        canary_env     = !local.is_prod
      }

      resources {
        cpu    = 100 * local.replicas
        memory = local.memory_mb
      }
    }
  }
}
