module Fluent
  # fluentd's log line format: "2024-01-01 00:00:00 +0900 [info]: message".
  class Log
    def initialize(path)
      @io = path ? File.open(path, "a") : $stdout
      @io.sync = true
    end

    %w[debug info warn error].each do |level|
      define_method(level) { |msg| @io.puts "#{Time.now.strftime("%Y-%m-%d %H:%M:%S %z")} [#{level}]: #{msg}" }
    end
  end
end
