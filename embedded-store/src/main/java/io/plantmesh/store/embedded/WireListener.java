package io.plantmesh.store.embedded;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The TCP side: mongo-java-server's wire codec (framing, OP_MSG/OP_QUERY decoding, reply encoding) with our
 * {@link DurableRequestHandler} in place of the library's handler.
 */
final class WireListener implements AutoCloseable {

    private final EventLoopGroup acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("embedded-store-accept", true));
    private final EventLoopGroup workers = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("embedded-store-io", true));
    private final ChannelGroup channels = new DefaultChannelGroup("embedded-store-clients", GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    InetSocketAddress bind(String host, int port, CommandExecutor executor) {
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new MongoWireReplyEncoder());
                    channel.pipeline().addLast(new MongoWireMessageEncoder());
                    channel.pipeline().addLast(new MongoWireProtocolHandler());
                    channel.pipeline().addLast(new DurableRequestHandler(executor, channels));
                    channel.pipeline().addLast(new MongoExceptionHandler());
                }
            });
        serverChannel = bootstrap.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting, closes client connections and waits for the event loops to finish their current work. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
