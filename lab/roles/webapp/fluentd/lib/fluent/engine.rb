require "fluent/version"
require "fluent/config"
require "fluent/log"
require "fluent/plugin/in_tail"
require "fluent/plugin/out_forward"

module Fluent
  # Reads the configuration, starts every <source> and routes each event to
  # the first <match> whose pattern matches its tag, as fluentd does.
  class Engine
    INPUTS = { "tail" => Plugin::TailInput }.freeze
    OUTPUTS = { "forward" => Plugin::ForwardOutput }.freeze

    def initialize(path, log: nil)
      $log = Log.new(log)
      conf = Config.parse(File.read(path), path)
      @matches = conf.sections("match").map do |m|
        klass = OUTPUTS[m.fetch("@type")] or raise ConfigError, "unknown output plugin '#{m["@type"]}'"
        [pattern(m.arg), klass.new(m)]
      end
      @sources = conf.sections("source").map do |s|
        klass = INPUTS[s.fetch("@type")] or raise ConfigError, "unknown input plugin '#{s["@type"]}'"
        klass.new(s, self)
      end
      raise ConfigError, "no <source>" if @sources.empty?
    rescue Errno::ENOENT => e
      raise ConfigError, e.message
    end

    def emit(tag, time, record)
      _, out = @matches.find { |re, _| re.match?(tag) }
      if out
        out.emit(tag, time, record)
      else
        $log.warn "no patterns matched tag=#{tag.inspect}"
      end
    end

    def run
      $log.info "starting fluentd-#{VERSION} pid=#{Process.pid} ruby=#{RUBY_VERSION.inspect}"
      @matches.each { |_, o| o.start }
      @sources.each(&:start)
      stop = Queue.new
      %w[TERM INT].each { |sig| trap(sig) { stop << sig } }
      $log.info "shutting down fluentd (#{stop.pop})"
      @sources.each(&:shutdown)
      @matches.each { |_, o| o.shutdown }
    end

    private

    # fluentd's match patterns: "a.*" (one part), "a.**" (zero or more parts),
    # "{a,b}", several patterns separated by spaces.
    def pattern(arg)
      Regexp.new("\\A(?:#{arg.split(/\s+/).map { |p| glob(p) }.join("|")})\\z")
    end

    def glob(p)
      re = +""
      i = 0
      while i < p.size
        if p[i, 3] == ".**"
          re << "(?:\\.[^.]+)*"
          i += 3
        elsif p[i, 2] == "**"
          re << ".*"
          i += 2
        elsif p[i] == "*"
          re << "[^.]*"
          i += 1
        elsif p[i] == "{"
          j = p.index("}", i) or raise ConfigError, "unclosed { in #{p}"
          re << "(?:" << p[i + 1...j].split(",").map { |a| glob(a) }.join("|") << ")"
          i = j + 1
        else
          re << Regexp.escape(p[i])
          i += 1
        end
      end
      re
    end
  end
end
