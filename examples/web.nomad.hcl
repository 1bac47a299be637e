# A small web service: two instances of Python's built-in HTTP server, each on a
# port the scheduler picks, registered in the catalog with a health check and
# routed by the ingress under /web (Fabio-style tag) and web.localhost
# (Traefik-style tag).
#
#   caravan job run examples/web.nomad.hcl
#   caravan job status web
#   curl http://127.0.0.1:<ingress port>/web/
#
# Needs python3 on the client; the raw_exec driver runs it as a plain process.

variable "instances" {
  type        = number
  description = "How many copies of the server to run."
  default     = 2
}

job "web" {
  # "*" matches every datacenter; a dev agent is in "dc1".
  datacenters = ["*"]
  type        = "service"

  group "web" {
    count = var.instances

    # No `static`: each instance gets its own free port, so any number of
    # copies fit on one machine. The task reads it from NOMAD_PORT_http.
    network {
      port "http" {}
    }

    # Roll out one instance at a time; an instance counts as healthy once its
    # check has passed for 5 seconds.
    update {
      max_parallel     = 1
      min_healthy_time = "5s"
      healthy_deadline = "1m"
      auto_revert      = true
    }

    service {
      name = "web"
      port = "http"

      tags = [
        # Fabio dialect: route the path prefix /web and strip it upstream.
        "urlprefix-/web strip=/web",
        # Traefik dialect: route the host name web.localhost.
        "traefik.enable=true",
        "traefik.http.routers.web.rule=Host(`web.localhost`)",
      ]

      # Only instances whose check passes receive traffic.
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
        # ${NOMAD_PORT_http} and ${NOMAD_IP_http} are filled in on the client
        # when the task starts: the port and address allocated for "http".
        args = ["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "${NOMAD_IP_http}"]
      }

      resources {
        cpu    = 100 # MHz
        memory = 64  # MB
      }
    }
  }
}
