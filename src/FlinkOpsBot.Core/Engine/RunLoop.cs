using System.Collections.Concurrent;
using System.Threading.Channels;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Drives the <see cref="RunEngine"/>: ticks every active run when it is due, wakes early on <see cref="Wake"/>, and
/// rescans the store for runs it does not know (after a restart, or created by another replica). Hosts run
/// <see cref="RunAsync"/> as a background service.
/// <para>
/// Several loops (one per replica) may share a store: before a tick the loop claims or renews the run's lease
/// (<see cref="RunLeases"/>); a run leased to another replica is left alone until that lease expires (or, once it is
/// released, until the next rescan). A run that ends, or waits beyond its lease (e.g. at the gate), is released at
/// once so whichever replica is woken next can take it. On shutdown the host calls <see cref="BeginStopping"/>, stops
/// <see cref="RunAsync"/> (ticks in flight finish), then <see cref="ReleaseLeasesAsync"/>.
/// </para>
/// </summary>
public sealed partial class RunLoop : IRunSignal, IEngineStatus
{
    private readonly RunEngine _engine;
    private readonly IRunStore _runs;
    private readonly TimeProvider _time;
    private readonly ILogger<RunLoop> _logger;
    private readonly Channel<RunId> _wakeups = Channel.CreateUnbounded<RunId>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Dictionary<RunId, DateTimeOffset> _due = [];
    private readonly ConcurrentDictionary<RunId, DateTimeOffset> _held = new();
    private readonly ConcurrentDictionary<RunId, byte> _inFlight = new();
    private volatile bool _stopping;

    /// <summary>Creates the loop; <paramref name="leaseOptions"/> null means the defaults (a fresh owner id, 30 s leases).</summary>
    /// <exception cref="ArgumentException">The lease options are unusable (see <see cref="RunLeaseOptions.Problem"/>).</exception>
    public RunLoop(RunEngine engine, IRunStore runs, TimeProvider time, ILogger<RunLoop> logger, RunLeaseOptions? leaseOptions = null)
    {
        _engine = engine;
        _runs = runs;
        _time = time;
        _logger = logger;
        Leases = new RunLeases(runs, time, leaseOptions ?? new RunLeaseOptions());
    }

    /// <summary>This loop's leases (its owner id, duration and renewal).</summary>
    public RunLeases Leases { get; }

    /// <inheritdoc />
    public bool IsStopping => _stopping;

    /// <summary>The runs whose lease this loop holds (as far as it knows), with the lease's expiry.</summary>
    public IReadOnlyDictionary<RunId, DateTimeOffset> HeldLeases => _held;

    /// <summary>How often the store is rescanned for active runs (default 5 s).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to back off a run whose tick threw unexpectedly (default 5 s).</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public void Wake(RunId runId) => _wakeups.Writer.TryWrite(runId);

    /// <summary>
    /// Marks the loop as stopping: it starts no further tick, and <see cref="IsStopping"/> tells the command path to
    /// refuse new runs. Cancelling <see cref="RunAsync"/> does the same.
    /// </summary>
    public void BeginStopping() => _stopping = true;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (or <see cref="BeginStopping"/> is called and the
    /// loop wakes); the current ticks finish first. Leases stay held: call <see cref="ReleaseLeasesAsync"/> afterwards
    /// for a graceful stop.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = cancellationToken.Register(BeginStopping);
        var nextRescan = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested && !_stopping)
        {
            var now = _time.GetUtcNow();
            if (now >= nextRescan)
            {
                await RescanAsync(now, cancellationToken);
                nextRescan = now + RescanInterval;
            }
            while (_wakeups.Reader.TryRead(out var woken)) _due[woken] = now;

            var due = _due.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList();
            if (due.Count > 0)
            {
                // Ticks of different runs are independent; a slow cluster must not hold up the others.
                var results = await Task.WhenAll(due.Select(id => TickAsync(id, CancellationToken.None)));
                foreach (var (id, next) in results)
                {
                    if (next is { } at) _due[id] = at;
                    else _due.Remove(id);
                }
                continue;
            }

            var wakeAt = _due.Values.Append(nextRescan).Min();
            var delay = wakeAt - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero) continue;
            if (delay > TimeSpan.FromMinutes(1)) delay = TimeSpan.FromMinutes(1);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(
                Task.Delay(delay, _time, waiting.Token),
                _wakeups.Reader.WaitToReadAsync(waiting.Token).AsTask());
            await waiting.CancelAsync();
        }
    }

    /// <summary>
    /// Releases every lease this loop holds, except on runs whose tick is still in flight (those lapse after the lease
    /// duration), so another replica can continue the runs at once. Failures are logged; the lease then lapses.
    /// Returns how many leases were released.
    /// </summary>
    public async Task<int> ReleaseLeasesAsync(CancellationToken cancellationToken)
    {
        var released = 0;
        foreach (var id in _held.Keys.Where(id => !_inFlight.ContainsKey(id)).ToList())
        {
            try
            {
                if (await Leases.ReleaseAsync(id, cancellationToken)) released++;
                _held.TryRemove(id, out _);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReleaseFailed(_logger, e, id.Value);
            }
        }
        if (released > 0) LogReleased(_logger, released, Leases.Owner);
        return released;
    }

    private async Task<(RunId Id, DateTimeOffset? Next)> TickAsync(RunId id, CancellationToken cancellationToken)
    {
        _inFlight[id] = 0;
        try
        {
            var claim = await Leases.ClaimAsync(id, cancellationToken);
            if (claim.Outcome != LeaseOutcome.Held)
            {
                _held.TryRemove(id, out _);
                return (id, claim.Lease?.ExpiresAt);
            }
            var expiresAt = claim.Lease!.ExpiresAt;
            _held[id] = expiresAt;

            var next = await _engine.TickUnderLeaseAsync(id, Leases, cancellationToken);
            if (next is null || next > expiresAt)
            {
                // Ended, or idle past the lease (at the gate, a long wait): free it for whichever replica is woken next.
                await Leases.ReleaseAsync(id, cancellationToken);
                _held.TryRemove(id, out _);
            }
            return (id, next);
        }
        catch (ConcurrencyConflictException)
        {
            return (id, _time.GetUtcNow());
        }
        catch (Exception e)
        {
            LogTickFailed(_logger, e, id.Value);
            return (id, _time.GetUtcNow() + ErrorBackoff);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    private async Task RescanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var run in await _runs.ListActiveAsync(cancellationToken))
            {
                // Not before another replica's live lease expires; but earlier than planned when the run was woken
                // elsewhere (approved on another replica) or its lease was released.
                var wanted = run.NextWakeAt ?? now;
                if (Leases.RetryAtUnlessHeld(run, now) is { } free && free > wanted) wanted = free;
                if (!_due.TryGetValue(run.Id, out var planned) || wanted < planned) _due[run.Id] = wanted;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the loop ends without an error.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRescanFailed(_logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Tick of run {RunId} failed; it will be retried")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not list active runs; will rescan")]
    private static partial void LogRescanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the lease on run {RunId}; it lapses on its own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} run lease(s) held by {Owner}")]
    private static partial void LogReleased(ILogger logger, int count, string owner);
}
