# Exercises: batch job, periodic with crons list, prohibit_overlap and time_zone, batch reschedule/restart, raw_exec with a heredoc script template.
job "db-backup" {
  type        = "batch"
  datacenters = ["dc1"]
  priority    = 30

  periodic {
    crons            = ["0 2 * * *", "0 14 * * 6"]
    prohibit_overlap = true
    time_zone        = "Europe/Berlin"
  }

  group "backup" {
    count = 1

    restart {
      attempts = 2
      interval = "1h"
      delay    = "1m"
      mode     = "fail"
    }

    reschedule {
      attempts       = 1
      interval       = "24h"
      delay          = "5m"
      delay_function = "constant"
      unlimited      = false
    }

    task "pg-dump" {
      driver = "raw_exec"

      config {
        command = "/bin/bash"
        args    = ["local/backup.sh"]
      }

      template {
        destination = "local/backup.sh"
        perms       = "0755"
        data        = <<EOF
#!/bin/bash
set -euo pipefail
stamp=$(date +%Y%m%d-%H%M)
pg_dump --host db.service.consul --dbname shop > "/srv/backup/shop-$stamp.sql"
echo "backup written by alloc {{ env "NOMAD_ALLOC_ID" }}"
EOF
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
