package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * Jackson's buffers, pooled by thread kind. Platform threads (event loops, socket readers: they
 * decode) keep one recycler each, the cheapest kind. Virtual threads (handlers: they encode
 * answers) are new for every call, so a thread-local recycler would be thrown away each time; they
 * share a concurrent pool instead.
 */
final class BufferPool implements RecyclerPool<BufferRecycler> {

  private static final long serialVersionUID = 1L;

  static final BufferPool INSTANCE = new BufferPool();

  private static final RecyclerPool<BufferRecycler> PLATFORM = JsonRecyclerPools.threadLocalPool();
  private static final RecyclerPool<BufferRecycler> VIRTUAL =
      JsonRecyclerPools.sharedConcurrentDequePool();

  private BufferPool() {}

  private static RecyclerPool<BufferRecycler> forThisThread() {
    return Thread.currentThread().isVirtual() ? VIRTUAL : PLATFORM;
  }

  @Override
  public BufferRecycler acquirePooled() {
    return forThisThread().acquirePooled();
  }

  @Override
  public BufferRecycler acquireAndLinkPooled() {
    return forThisThread().acquireAndLinkPooled(); // links the recycler to the pool it came from
  }

  @Override
  public void releasePooled(BufferRecycler recycler) {
    forThisThread().releasePooled(recycler);
  }
}
