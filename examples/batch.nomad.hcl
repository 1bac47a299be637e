# A batch job: runs to completion instead of forever. Three instances each
# print which instance they are and where they run, then exit 0.
#
#   caravan job run examples/batch.nomad.hcl
#   caravan job status hello-batch
#   caravan alloc logs <alloc id>
#
# Add a periodic block (see the comment below) to run it on a schedule.

job "hello-batch" {
  datacenters = ["*"]
  type        = "batch"

  # Uncomment to run every 5 minutes instead of once:
  # periodic {
  #   crons            = ["*/5 * * * *"]
  #   prohibit_overlap = true
  # }

  group "hello" {
    count = 3

    # A failed instance is retried twice on the same node, then given up.
    restart {
      attempts = 2
      delay    = "5s"
      mode     = "fail"
    }

    task "hello" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        # $${...} is an escaped ${...}: HCL leaves "${NOMAD_ALLOC_INDEX}" for
        # the shell, which reads it from the task's environment.
        args = ["-c", "echo \"instance $${NOMAD_ALLOC_INDEX} of job $${NOMAD_JOB_NAME} on $(hostname)\"; sleep 2"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
