module Fluent
  # The release whose behaviour (config syntax, pos_file format, forward
  # protocol) this stand-in follows.
  VERSION = "1.16.5"
end
