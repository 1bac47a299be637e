# Exercises: runtime references kept verbatim: NOMAD_PORT/IP/ADDR_x, NOMAD_ALLOC_ID/INDEX, NOMAD_TASK_DIR, NOMAD_META_x, attr.kernel.name, node.unique.name, node.datacenter, meta.rack, env["HOME"], mixed with var/local.
variable "name" {
  type    = string
  default = "ledger"
}

locals {
  prefix = "svc-${var.name}"
}

job "ledger" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  constraint {
    attribute = "${meta.rack}"
    operator  = "regexp"
    value     = "^r[0-9]+$"
  }

  group "ledger" {
    count = 2

    network {
      port "http" {}
    }

    service {
      name = "${local.prefix}"
      port = "http"
      tags = ["node=${node.unique.name}", "dc=${node.datacenter}", "alloc=${NOMAD_ALLOC_ID}"]
    }

    task "ledger" {
      driver = "raw_exec"

      meta {
        owner = "platform-team"
      }

      config {
        command = "${NOMAD_TASK_DIR}/ledger"
        args = [
          "--listen", "${NOMAD_ADDR_http}",
          "--advertise", "${NOMAD_IP_http}:${NOMAD_PORT_http}",
          "--instance", "${local.prefix}-${NOMAD_ALLOC_INDEX}",
        ]
      }

      env {
        ALLOC_ID   = "${NOMAD_ALLOC_ID}"
        NODE_NAME  = "${node.unique.name}"
        DATACENTER = "${node.datacenter}"
        RACK       = "${meta.rack}"
        KERNEL     = "${attr.kernel.name}"
        OWNER      = "${NOMAD_META_owner}"
        HOME_DIR   = "${env["HOME"]}"
        DATA_DIR   = "${NOMAD_TASK_DIR}/data"
      }

      artifact {
        source      = "https://artifacts.example.com/ledger/ledger-${attr.kernel.name}-${attr.cpu.arch}.tar.gz"
        destination = "local/"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
