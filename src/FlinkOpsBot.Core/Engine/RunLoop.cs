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
/// </summary>
public sealed partial class RunLoop : IRunSignal
{
    private readonly RunEngine _engine;
    private readonly IRunStore _runs;
    private readonly TimeProvider _time;
    private readonly ILogger<RunLoop> _logger;
    private readonly Channel<RunId> _wakeups = Channel.CreateUnbounded<RunId>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Dictionary<RunId, DateTimeOffset> _due = [];

    /// <summary>Creates the loop.</summary>
    public RunLoop(RunEngine engine, IRunStore runs, TimeProvider time, ILogger<RunLoop> logger)
    {
        _engine = engine;
        _runs = runs;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often the store is rescanned for active runs (default 5 s).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to back off a run whose tick threw unexpectedly (default 5 s).</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public void Wake(RunId runId) => _wakeups.Writer.TryWrite(runId);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; the current ticks finish first.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextRescan = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
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

    private async Task<(RunId Id, DateTimeOffset? Next)> TickAsync(RunId id, CancellationToken cancellationToken)
    {
        try
        {
            return (id, await _engine.TickAsync(id, cancellationToken));
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
    }

    private async Task RescanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var run in await _runs.ListActiveAsync(cancellationToken))
            {
                if (!_due.ContainsKey(run.Id)) _due[run.Id] = run.NextWakeAt ?? now;
            }
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
}
