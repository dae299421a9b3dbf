namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>
/// A discrete-event queue: things that happen at a simulated time, run in time order (then in the order they were
/// scheduled) when the cluster is caught up to the clock. Not thread-safe: used under the simulation's lock.
/// </summary>
internal sealed class Scheduler(DateTimeOffset start)
{
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _queue = new();
    private long _sequence;

    /// <summary>Simulated now: the time of the event being run, or the time the simulation was last caught up to.</summary>
    public DateTimeOffset Now { get; private set; } = start;

    /// <summary>Runs <paramref name="action"/> at <see cref="Now"/> + <paramref name="delay"/>.</summary>
    public void After(TimeSpan delay, Action action) => _queue.Enqueue(action, (Now + delay, _sequence++));

    /// <summary>Runs every event due by <paramref name="now"/>, including the ones they schedule, each at its own time.</summary>
    public void RunUntil(DateTimeOffset now)
    {
        while (_queue.TryPeek(out var action, out var due) && due.At <= now)
        {
            _queue.Dequeue();
            if (due.At > Now) Now = due.At;
            action();
        }
        if (now > Now) Now = now;
    }
}
