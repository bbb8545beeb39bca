package goose.provider;

import java.util.Iterator;

/**
 * A streamed response, read with plain blocking calls. {@link #hasNext()} and {@link #next()} may
 * throw {@link ProviderException}. {@link #close()} may be called from any thread: it aborts the
 * HTTP request (the provider sees its connection closed) and makes a blocked reader return.
 */
public interface ProviderStream extends Iterator<ProviderEvent>, AutoCloseable {
  @Override
  void close();
}
