# Exercises: sysbatch job type, node_pool "all", job-level constraint on ${attr.kernel.name}, raw_exec with a user and a kill_timeout.
job "docker-prune" {
  type        = "sysbatch"
  datacenters = ["*"]
  node_pool   = "all"

  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "="
    value     = "linux"
  }

  periodic {
    crons            = ["30 4 * * 0"]
    prohibit_overlap = true
  }

  group "prune" {
    task "prune" {
      driver = "raw_exec"
      user   = "root"

      config {
        command = "/usr/bin/docker"
        args    = ["system", "prune", "--force", "--filter", "until=168h"]
      }

      kill_timeout = "20s"

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
