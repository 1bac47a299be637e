# Exercises: batch job with the older single `cron` field, periodic enabled flag, exec driver and a task-level restart block.
job "report-mailer" {
  type        = "batch"
  datacenters = ["dc1"]

  periodic {
    cron             = "*/30 * * * *"
    prohibit_overlap = false
    enabled          = true
  }

  group "mailer" {
    task "send" {
      driver = "exec"

      config {
        command = "/usr/bin/python3"
        args    = ["-m", "reports.mailer", "--since", "30m"]
      }

      restart {
        attempts = 0
        mode     = "fail"
      }

      resources {
        cpu    = 100
        memory = 96
      }
    }
  }
}
