# Exercises: required variables used in a periodic batch job (crons list, time_zone string, retention number) supplied by cron_cleanup.vars.hcl, inside interpolation and a heredoc.
variable "schedule" {
  type        = list(string)
  description = "Cron expressions for the cleanup run."
}

variable "time_zone" {
  type = string
}

variable "retention_days" {
  type = number
}

job "s3-cleanup" {
  type        = "batch"
  datacenters = ["dc1"]

  periodic {
    crons            = var.schedule
    time_zone        = var.time_zone
    prohibit_overlap = true
  }

  group "cleanup" {
    task "cleanup" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["local/cleanup.sh"]
      }

      template {
        destination = "local/cleanup.sh"
        perms       = "0755"
        data        = <<-EOF
          #!/bin/sh
          # Deletes objects older than ${var.retention_days} days.
          aws s3 rm "s3://backups/" --recursive \
            --exclude "*" --include "$(date -d '-${var.retention_days} days' +%Y-%m-%d)*"
        EOF
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
