# Exercises: collection/encoding/file functions merge, lookup, concat, length, range, jsonencode and file("files/...") relative to the job file.
variable "env" {
  type    = string
  default = "staging"
}

variable "extra_env" {
  type    = map(string)
  default = { FEATURE_NEW_CHECKOUT = "on" }
}

variable "sizes" {
  type = map(number)
  default = {
    production = 2048
    staging    = 512
  }
}

locals {
  base_env   = { LOG_LEVEL = "info", TZ = "UTC" }
  env_vars   = merge(local.base_env, var.extra_env, { DEPLOY_ENV = var.env })
  memory     = lookup(var.sizes, var.env, 256)
  shard_args = [for i in range(3) : format("--shard=%d", i)]
  all_args   = concat(["serve"], local.shard_args, ["--metrics"])
  config_json = jsonencode({
    shards   = length(local.shard_args)
    env      = var.env
    features = [for name, value in var.extra_env : name if value == "on"]
  })
}

job "catalog" {
  datacenters = ["dc1"]

  group "catalog" {
    count = length(range(1, 3))

    network {
      port "http" {}
    }

    task "catalog" {
      driver = "exec"

      config {
        command = "/opt/catalog/bin/catalog"
        args    = local.all_args
      }

      env = local.env_vars

      template {
        data        = file("files/catalog.conf.tpl")
        destination = "local/catalog.conf"
      }

      template {
        data        = local.config_json
        destination = "local/catalog.json"
        change_mode = "noop"
      }

      resources {
        cpu    = 300
        memory = local.memory
      }
    }
  }
}
