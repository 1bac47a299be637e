# Exercises: migrate block (job and group level), reschedule at job level (exponential, unlimited) and group level (fibonacci, bounded).
job "payments" {
  datacenters = ["dc1"]

  migrate {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "10s"
    healthy_deadline = "5m"
  }

  reschedule {
    delay          = "30s"
    delay_function = "exponential"
    max_delay      = "1h"
    unlimited      = true
  }

  group "payments" {
    count = 6

    migrate {
      max_parallel     = 2
      health_check     = "task_states"
      min_healthy_time = "20s"
      healthy_deadline = "3m"
    }

    reschedule {
      attempts       = 10
      interval       = "2h"
      delay          = "15s"
      delay_function = "fibonacci"
      max_delay      = "20m"
      unlimited      = false
    }

    network {
      port "grpc" {}
    }

    task "payments" {
      driver = "exec"

      config {
        command = "local/payments"
        args    = ["serve", "--grpc-port", "${NOMAD_PORT_grpc}"]
      }

      artifact {
        source      = "https://artifacts.example.com/payments/payments-7.2.0-linux-amd64.tar.gz"
        destination = "local/"
      }

      resources {
        cpu    = 600
        memory = 512
      }
    }
  }
}
