package dev.mooring.host.egress;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Collects a response body into a byte array, failing as soon as it grows past a size limit: at
 * once when the declared {@code Content-Length} is over it, otherwise when the bytes received pass
 * it. On failure the subscription is cancelled, so the rest of the body is never read.
 *
 * <p>The JDK client calls the methods one at a time, as {@link Flow.Subscriber} requires.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    private final long maxBytes;
    private final long declaredLength;
    private final Supplier<EgressException> tooLarge;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    /**
     * @param declaredLength the response's {@code Content-Length}, or -1 when it has none
     * @param tooLarge makes the error the body fails with when it is over the limit
     */
    CappedBodySubscriber(long maxBytes, long declaredLength, Supplier<EgressException> tooLarge) {
        this.maxBytes = maxBytes;
        this.declaredLength = declaredLength;
        this.tooLarge = tooLarge;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        subscription = newSubscription;
        if (declaredLength > maxBytes) {
            subscription.cancel();
            body.completeExceptionally(tooLarge.get());
            return;
        }
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if ((long) received.size() + buffer.remaining() > maxBytes) {
                subscription.cancel();
                body.completeExceptionally(tooLarge.get());
                return;
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            received.writeBytes(bytes);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(received.toByteArray());
    }
}
