# Exercises: all three comment kinds (#, //, /* */ incl. inline and multi-line), lists and objects with comma and newline separators, trailing commas, empty list/object, numbers (float, exponent, negative), escapes in strings.
/*
 * Multi-line block comment before the job.
 * Nothing in here is parsed: job "ignored" { }
 */
job "comments" { // the job label
  datacenters = [
    "dc1", # first
    "dc2", // second
    "dc3"  /* last, no trailing comma */
  ]
  type = /* inline comment inside an expression */ "service"

  meta = {
    a = "1", b = "2"
    c = "3"
    "with.dot" = "4",
    empty_list = jsonencode([])
    empty_map  = jsonencode({})
  }

  group "g" {
    count = 1 # trailing comment after a number

    task "t" {
      driver = "raw_exec"

      config {
        command = "/bin/echo"
        args = ["tab:\t", "quote:\"", "backslash:\\", "unicode:\u00e4", "newline:\n",]
      }

      # Objects on one line with commas, trailing comma too.
      env = { ONE = "1", TWO = "2", }

      resources {
        cpu    = 100 // MHz
        memory = 64  # MB
      }

      meta {
        ratio    = 0.75
        big      = 1e3
        negative = -5
        nothing  = ""
      }
    }
  }
}
// comment at the very end, without a newline after it