# Exercises: parameterized batch job (payload, meta_required, meta_optional), dispatch_payload, ${NOMAD_META_x} and ${NOMAD_TASK_DIR} runtime variables, job meta defaults.
job "video-transcode" {
  type        = "batch"
  datacenters = ["dc1"]

  parameterized {
    payload       = "required"
    meta_required = ["input_url", "output_bucket"]
    meta_optional = ["preset", "priority_class"]
  }

  # Defaults for the optional dispatch meta keys.
  meta {
    preset         = "h264-720p"
    priority_class = "normal"
  }

  group "transcode" {
    task "ffmpeg" {
      driver = "docker"

      dispatch_payload {
        file = "job.json"
      }

      config {
        image = "jrottenberg/ffmpeg:6.1-ubuntu"
        args = [
          "-i", "${NOMAD_META_input_url}",
          "-preset", "${NOMAD_META_preset}",
          "-progress", "${NOMAD_TASK_DIR}/progress.log",
          "${NOMAD_TASK_DIR}/out.mp4",
        ]
      }

      env {
        OUTPUT_BUCKET = "${NOMAD_META_output_bucket}"
        JOB_SPEC      = "${NOMAD_TASK_DIR}/job.json"
      }

      resources {
        cpu    = 4000
        memory = 2048
      }
    }
  }
}
