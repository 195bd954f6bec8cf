package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** {@link CappedBodyHandler}: a body up to the limit is read, one byte more stops the download. */
class CappedBodyHandlerTest {

  /** Records what the subscriber asked of the connection. */
  private static final class Subscription implements Flow.Subscription {
    long requested;
    int cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled++;
    }
  }

  private static HttpResponse.ResponseInfo info(Long contentLength) {
    Map<String, List<String>> h = contentLength == null ? Map.of()
        : Map.of("Content-Length", List.of(Long.toString(contentLength)));
    return new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(h, (k, v) -> true);
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[n]);
  }

  private static Throwable failure(HttpResponse.BodySubscriber<byte[]> s) {
    CompletableFuture<byte[]> f = s.getBody().toCompletableFuture();
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThatThrownBy(() -> new CappedBodyHandler(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be positive");
    assertThat(new CappedBodyHandler(1)).isNotNull();
  }

  @Test
  void readsABodyOfExactlyTheLimitInSeveralChunks() {
    HttpResponse.BodySubscriber<byte[]> s = new CappedBodyHandler(1024).apply(info(1024L));
    Subscription sub = new Subscription();

    s.onSubscribe(sub);
    s.onNext(List.of(bytes(600), bytes(400)));
    s.onNext(List.of(bytes(24)));
    s.onComplete();

    assertThat(sub.requested).isEqualTo(Long.MAX_VALUE);
    assertThat(sub.cancelled).isZero();
    assertThat(s.getBody().toCompletableFuture().join()).hasSize(1024);
  }

  @Test
  void stopsTheDownloadAtTheFirstChunkOverTheLimit() {
    HttpResponse.BodySubscriber<byte[]> s = new CappedBodyHandler(1024).apply(info(null));
    Subscription sub = new Subscription();

    s.onSubscribe(sub);
    s.onNext(List.of(bytes(600)));
    s.onNext(List.of(bytes(425)));
    s.onNext(List.of(bytes(1)));
    s.onComplete();

    assertThat(sub.cancelled).isEqualTo(1);
    assertThat(failure(s)).isInstanceOf(CappedBodyHandler.BodyTooLargeException.class)
        .hasMessage("response body larger than 1024 bytes");
  }

  @Test
  void aDeclaredLengthOverTheLimitFailsBeforeReadingAByte() {
    HttpResponse.BodySubscriber<byte[]> s = new CappedBodyHandler(1024).apply(info(1025L));
    Subscription sub = new Subscription();

    s.onSubscribe(sub);

    assertThat(sub.requested).isZero();
    assertThat(sub.cancelled).isEqualTo(1);
    assertThat(failure(s)).isInstanceOf(CappedBodyHandler.BodyTooLargeException.class);
  }

  @Test
  void passesAConnectionFailureOn() {
    HttpResponse.BodySubscriber<byte[]> s = new CappedBodyHandler(10).apply(info(null));
    IOException cut = new IOException("cut");

    s.onSubscribe(new Subscription());
    s.onError(cut);

    assertThat(failure(s)).isSameAs(cut);
  }
}
