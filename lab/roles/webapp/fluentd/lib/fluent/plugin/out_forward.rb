require "socket"
require "msgpack"

module Fluent
  module Plugin
    # out_forward: buffers events in memory and sends them every
    # flush_interval in the forward protocol's Forward mode ([tag,
    # [[time, record], ...]]) to the first <server> that answers, keeping
    # what could not be sent for the next flush. With keepalive the TCP
    # connection stays open between flushes. No file buffer, no heartbeat,
    # no acks: what fluentd has beyond that is not needed here.
    class ForwardOutput
      def initialize(conf)
        @servers = conf.sections("server").map { |s| [s.fetch("host"), (s["port"] || 24224).to_i] }
        raise ConfigError, "out_forward needs at least one <server>" if @servers.empty?
        @keepalive = Config.bool(conf["keepalive"], false)
        buf = conf.section("buffer")
        @flush = Config.duration(buf && buf["flush_interval"], 60)
        @queue = Queue.new
      end

      def emit(tag, time, record)
        @queue << [tag, time, record]
      end

      def start
        @thread = Thread.new { loop { sleep @flush; flush } }
      end

      def shutdown
        @thread&.kill
        flush
        @sock&.close
      end

      private

      def flush
        events = []
        events << @queue.pop until @queue.empty?
        return connection if events.empty? && @keepalive
        events.group_by(&:first).each do |tag, evs|
          # what could not be sent is kept for the next flush
          evs.each { |e| @queue << e } unless send_chunk([tag, evs.map { |_, t, r| [t, r] }].to_msgpack)
        end
        unless @keepalive
          @sock&.close
          @sock = nil
        end
      end

      def send_chunk(data)
        sock = connection or return false
        sock.write(data)
        true
      rescue SystemCallError, IOError => e
        $log.warn "failed to flush the buffer. error=#{e.message.inspect}"
        @sock&.close
        @sock = nil
        false
      end

      def connection
        return @sock if @sock && !@sock.closed?
        @servers.each do |host, port|
          @sock = Socket.tcp(host, port, connect_timeout: 5)
          $log.info "connected to #{host}:#{port}"
          return @sock
        rescue SystemCallError, SocketError => e
          $log.warn "cannot connect to #{host}:#{port}: #{e.message}"
        end
        nil
      end
    end
  end
end
