# Exercises: string functions format, join, upper, lower, replace, regex_replace (with a $${1} escaped capture reference) in locals, attributes and interpolations.
variable "service_name" {
  type    = string
  default = "Customer Profile API"
}

variable "release" {
  type    = string
  default = "v2.7.1-rc.3"
}

locals {
  slug      = lower(replace(var.service_name, " ", "-"))
  version   = regex_replace(var.release, "^v([0-9.]+).*$", "$${1}")
  channel   = regex_replace(var.release, "^v[0-9.]+-?", "")
  image     = format("registry.example.com/%s:%s", local.slug, local.version)
  route_tag = format("urlprefix-/%s", replace(local.slug, "-api", ""))
}

job "customer-profile" {
  datacenters = ["dc1"]

  meta {
    display_name = upper(var.service_name)
    channel      = local.channel == "" ? "stable" : local.channel
  }

  group "api" {
    count = 2

    network {
      port "http" {}
    }

    service {
      name = local.slug
      port = "http"
      tags = [local.route_tag, join("-", ["release", local.version]), "owner=${lower("CRM-Team")}"]
    }

    task "api" {
      driver = "docker"

      config {
        image = local.image
        args  = ["--name", format("%s-%s", local.slug, "${NOMAD_ALLOC_INDEX}")]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
