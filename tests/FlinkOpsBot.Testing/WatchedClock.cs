using System.Threading.Channels;

namespace FlinkOpsBot.Testing;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that reports every wait the code under test starts (each timer's due time), so
/// a test advances the clock exactly when something waits on it, and sees how long it meant to wait.
/// </summary>
public sealed class WatchedClock : TimeProvider
{
    private readonly ManualTimeProvider _clock = new();
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _clock.CreateTimer(callback, state, dueTime, period);
        _waits.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created; fails the test if none is created within 10 seconds.</summary>
    public async Task<TimeSpan> NextWaitAsync() => await _waits.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public void Advance(TimeSpan by) => _clock.Advance(by);
}
