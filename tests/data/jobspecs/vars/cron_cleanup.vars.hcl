# Values for cron_cleanup.nomad.hcl.
schedule       = ["15 3 * * *"]
time_zone      = "Europe/Berlin"
retention_days = 30
