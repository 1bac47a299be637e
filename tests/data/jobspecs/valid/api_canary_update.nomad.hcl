# Exercises: job-level update block with every field, group-level update override, canary_tags and canary_meta on a service.
job "orders-api" {
  datacenters = ["dc1"]

  update {
    max_parallel      = 2
    health_check      = "checks"
    min_healthy_time  = "15s"
    healthy_deadline  = "4m"
    progress_deadline = "10m"
    auto_revert       = true
    auto_promote      = false
    canary            = 1
    stagger           = "30s"
  }

  group "api" {
    count = 4

    # Group settings win over the job-level update block.
    update {
      max_parallel     = 1
      canary           = 2
      auto_promote     = true
      min_healthy_time = "30s"
    }

    network {
      port "http" {}
    }

    service {
      name        = "orders-api"
      port        = "http"
      tags        = ["urlprefix-/orders", "v2"]
      canary_tags = ["canary", "urlprefix-/canary/orders"]

      meta {
        version = "2.3.0"
        team    = "checkout"
      }

      canary_meta {
        version = "2.4.0-rc1"
      }

      check {
        type     = "http"
        path     = "/orders/health"
        interval = "5s"
        timeout  = "1s"
      }
    }

    task "api" {
      driver = "exec"

      config {
        command = "/usr/local/bin/orders-api"
        args    = ["-addr", ":${NOMAD_PORT_http}"]
      }

      resources {
        cpu    = 300
        memory = 192
      }
    }
  }
}
