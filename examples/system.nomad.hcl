# A system job: exactly one instance on every eligible client node, started
# automatically on nodes that join later. Here each node serves a tiny status
# page on the fixed port 9101 (a static port is fine: one instance per node).
#
#   caravan job run examples/system.nomad.hcl
#   curl http://127.0.0.1:9101/
#
# Needs python3 on every client.

job "node-status" {
  datacenters = ["*"]
  type        = "system"

  # Only Linux nodes. ${attr.kernel.name} is a node attribute, resolved by
  # the scheduler, not by HCL.
  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  # Update two nodes at a time, 10 seconds apart.
  update {
    max_parallel = 2
    stagger      = "10s"
  }

  group "status" {
    network {
      port "http" {
        static = 9101
      }
    }

    service {
      name = "node-status"
      port = "http"
      tags = ["node=${node.unique.name}"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "status" {
      driver = "raw_exec"

      # Rendered into the task directory before the task starts.
      template {
        destination = "local/www/index.html"
        data        = <<-EOF
          <h1>{{ env "node.unique.name" }}</h1>
          <p>datacenter {{ env "node.datacenter" }}, allocation {{ env "NOMAD_ALLOC_ID" }}</p>
        EOF
      }

      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}", "--directory", "local/www"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
