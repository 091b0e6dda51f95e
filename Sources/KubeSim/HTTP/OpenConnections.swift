import NIOCore
import Synchronization

/// The connections one run of the HTTP server has open, so a closed listener can cut them all
/// (`ListenerSwitch`). Closing channels, rather than cancelling the server's accept loop, lets
/// NIO wind each connection down in order: a cancelled accept loop drops connections accepted
/// meanwhile without finishing their writers, which NIO treats as a programming error.
final class OpenConnections: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var server: (any Channel)?
        var closing = false
    }

    private let state = Mutex(State())

    /// The listening channel, once bound. Closed at once if `closeAll` came first.
    func serving(on channel: any Channel) {
        let late = state.withLock { s -> Bool in
            s.server = channel
            return s.closing
        }
        if late { channel.close(promise: nil) }
    }

    /// Stops accepting and closes every connection, including any that is accepted while
    /// this runs.
    func closeAll() {
        let channels = state.withLock { s -> [any Channel] in
            s.closing = true
            return (s.server.map { [$0] } ?? []) + Array(s.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// A handler for each new connection's pipeline that keeps it in the registry while open.
    func tracker() -> some RemovableChannelHandler { Tracker(connections: self) }

    fileprivate func opened(_ channel: any Channel) {
        let closing = state.withLock { s -> Bool in
            if !s.closing { s.channels[ObjectIdentifier(channel)] = channel }
            return s.closing
        }
        if closing { channel.close(promise: nil) }
    }

    fileprivate func closed(_ channel: any Channel) {
        _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    private final class Tracker: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let connections: OpenConnections
        init(connections: OpenConnections) { self.connections = connections }

        func handlerAdded(context: ChannelHandlerContext) { connections.opened(context.channel) }
        func handlerRemoved(context: ChannelHandlerContext) { connections.closed(context.channel) }
        func channelInactive(context: ChannelHandlerContext) {
            connections.closed(context.channel)
            context.fireChannelInactive()
        }
    }
}
