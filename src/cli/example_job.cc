#include "cli/example_job.h"

namespace caravan::cli {

std::string_view example_job_commented() {
  return R"hcl(# An example job for caravan, in Nomad's job specification language (HCL2).
# Validate it with `caravan job validate example.nomad.hcl`; see it as Nomad
# JSON with `caravan job inspect example.nomad.hcl`.

# Variables can be set with -var 'name=value', -var-file, or NOMAD_VAR_name.
variable "instances" {
  type        = number
  default     = 2
  description = "How many copies of the web server to run."
}

# A job is the unit you submit. "service" jobs run until stopped.
job "example" {
  # Where the job may run. "*" means every datacenter.
  datacenters = ["*"]
  type        = "service"

  # Rolling updates: one allocation at a time, each healthy for 10s before
  # the next; roll back on its own when a new version never turns healthy.
  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }

  # A group is a set of tasks placed together on one node; `count` copies.
  group "web" {
    count = var.instances

    # A dynamic port: the client picks a free one and tells the task through
    # NOMAD_PORT_http, so any number of copies fit on one node.
    network {
      port "http" {}
    }

    # Registers every copy in the catalog. The tags declare ingress routes in
    # Fabio's and Traefik's dialects; the check decides which copies get traffic.
    service {
      name = "example-web"
      port = "http"
      tags = [
        "urlprefix-/example",
        "traefik.enable=true",
        "traefik.http.routers.example.rule=PathPrefix(`/example`)",
      ]

      check {
        type     = "http"
        path     = "/"
        interval = "5s"
        timeout  = "2s"
      }
    }

    # Restart a failed task up to 3 times in 5 minutes, then wait and retry.
    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    # A task is one process. raw_exec runs it as the agent's user.
    task "server" {
      driver = "raw_exec"

      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "${NOMAD_IP_http}"]
      }

      # CPU in MHz and memory in MB reserved on the node.
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
)hcl";
}

std::string_view example_job_short() {
  return R"hcl(job "example" {
  datacenters = ["*"]

  group "web" {
    count = 2

    network {
      port "http" {}
    }

    service {
      name = "example-web"
      port = "http"
      tags = ["urlprefix-/example"]

      check {
        type     = "http"
        path     = "/"
        interval = "5s"
        timeout  = "2s"
      }
    }

    task "server" {
      driver = "raw_exec"

      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "${NOMAD_IP_http}"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
)hcl";
}

}  // namespace caravan::cli
