package io.plantmesh.store.embedded;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.wire.message.MongoReply;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;

/**
 * Replaces mongo-java-server's {@code MongoDatabaseHandler}: same request handling, but the reply is written only
 * once the journal is durable up to the command's position. The event loop never waits for a disk force; the
 * journal's syncer thread hands the reply back to Netty.
 */
final class DurableRequestHandler extends SimpleChannelInboundHandler<ClientRequest> {

    private static final Logger log = LoggerFactory.getLogger(DurableRequestHandler.class);

    private final AtomicInteger responseIds = new AtomicInteger();
    private final CommandExecutor executor;
    private final ChannelGroup channels;

    DurableRequestHandler(CommandExecutor executor, ChannelGroup channels) {
        this.executor = executor;
        this.channels = channels;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channels.add(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        executor.handleClose(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientRequest request) {
        Channel channel = ctx.channel();
        MessageHeader header = new MessageHeader(responseIds.incrementAndGet(), request.getHeader().getRequestID());
        if (request instanceof MongoMessage message) {
            Document reply = handleMessage(message);
            long position = executor.visiblePosition();
            executor.whenDurable(position, failure -> channel.writeAndFlush(
                new MongoMessage(channel, header, failure == null ? reply : durabilityFailure(failure))));
        } else if (request instanceof MongoQuery query) {
            List<Document> documents;
            long cursorId = 0;
            if (query.getCollectionName().startsWith("$cmd")) {
                documents = List.of(handleLegacyCommand(query));
            } else {
                QueryResult result = executor.executeQuery(query);
                documents = result.collectDocuments();
                cursorId = result.getCursorId();
            }
            long position = executor.visiblePosition();
            long replyCursorId = cursorId;
            executor.whenDurable(position, failure -> channel.writeAndFlush(failure == null
                ? new MongoReply(header, documents, replyCursorId)
                : new MongoReply(header, List.of(durabilityFailure(failure)), 0)));
        } else {
            throw new MongoServerException("unknown message: " + request);
        }
    }

    private Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        try {
            return executor.executeCommand(message.getChannel(), message.getDatabaseName(), command, query);
        } catch (MongoServerException e) {
            if (e.isLogError()) {
                log.debug("command {} failed: {}", command, e.getMessageWithoutErrorCode());
            }
            return errorResponse(e);
        } catch (RuntimeException e) {
            log.error("command {} failed unexpectedly", command, e);
            return errorResponse(new MongoServerException("Unknown error: " + e.getMessage(), e));
        }
    }

    /** OP_QUERY on {@code $cmd}: only the legacy handshake uses it with current drivers. */
    private Document handleLegacyCommand(MongoQuery query) {
        Document document = query.getQuery();
        String command = document.keySet().iterator().next();
        if ("$query".equals(command)) {
            document = (Document) document.get("$query");
            command = document.keySet().iterator().next();
        }
        try {
            return executor.executeCommand(query.getChannel(), query.getDatabaseName(), command, document);
        } catch (MongoServerException e) {
            return errorResponse(e);
        } catch (RuntimeException e) {
            log.error("command {} failed unexpectedly", command, e);
            return errorResponse(new MongoServerException("Unknown error: " + e.getMessage(), e));
        }
    }

    private static Document durabilityFailure(IOException failure) {
        return errorResponse(new MongoServerError(8, "UnknownError",
            "The change could not be made durable (" + failure.getMessage() + ") and is not acknowledged"));
    }

    private static Document errorResponse(MongoServerException exception) {
        Document response = new Document();
        response.put("$err", exception.getMessageWithoutErrorCode());
        response.put("errmsg", exception.getMessageWithoutErrorCode());
        if (exception instanceof MongoServerError error) {
            response.put("code", error.getCode());
            response.putIfNotNull("codeName", error.getCodeName());
        }
        response.put("ok", 0);
        return response;
    }
}
