package io.kpdedicated.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory, failing with {@link BodyTooLargeException} as soon as it
 * exceeds a cap (a declared {@code Content-Length} above the cap fails before any byte is read).
 */
public final class CappedBodyHandler implements HttpResponse.BodyHandler<byte[]> {
  private final int maxBytes;

  /**
   * Creates a handler.
   *
   * @param maxBytes the largest body accepted
   */
  public CappedBodyHandler(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
    return new Capped(maxBytes, declared > maxBytes);
  }

  /** Raised (as the cause of an {@link IOException}) when a body is larger than the cap. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(int maxBytes) {
      super("response body larger than " + maxBytes + " bytes");
    }
  }

  private static final class Capped implements BodySubscriber<byte[]> {
    private final int maxBytes;
    private final boolean failAtOnce;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Capped(int maxBytes, boolean failAtOnce) {
      this.maxBytes = maxBytes;
      this.failAtOnce = failAtOnce;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (failAtOnce) {
        s.cancel();
        result.completeExceptionally(new BodyTooLargeException(maxBytes));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (out.size() + (long) n > maxBytes) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLargeException(maxBytes));
          return;
        }
        byte[] chunk = new byte[n];
        b.get(chunk);
        out.write(chunk, 0, n);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
