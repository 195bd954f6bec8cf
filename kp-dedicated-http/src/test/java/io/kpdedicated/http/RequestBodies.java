package io.kpdedicated.http;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Reads what a request built by the JDK's {@link HttpRequest.Builder} would send as its body. */
final class RequestBodies {
  private RequestBodies() {}

  /** Returns the body as UTF-8 text; empty for a request without body. */
  static String read(HttpRequest r) {
    StringBuilder out = new StringBuilder();
    CompletableFuture<Void> done = new CompletableFuture<>();
    r.bodyPublisher().orElseThrow().subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer b) {
        out.append(StandardCharsets.UTF_8.decode(b));
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    done.join();
    return out.toString();
  }
}
