using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

/// <summary>
/// Wraps the command pipeline so that a repeated delivery has exactly one effect: a Slack retry
/// (<c>X-Slack-Retry-Num</c>), a double-clicked button, the same Teams invoke twice. A command or action with a
/// <see cref="ChatCommand.DeliveryKey"/> is recorded in the <see cref="IDeliveryLog"/> (a conditional insert, persisted,
/// so a restart or a second replica knows it) before the pipeline sees it; a delivery whose key is live is not handed on
/// and is answered with the reply the first one got, or, while the first is still being handled, a neutral
/// "already received" (<see cref="CommandReply.IsDuplicate"/> set either way). Deliveries without a key pass straight through.
/// </summary>
/// <remarks>
/// At most once: the key is recorded before the effect. If the pipeline throws (a bug or broken infrastructure, not a
/// refusal), the key is forgotten again so the platform's retry is handled, and the exception goes on to the adapter.
/// </remarks>
public sealed partial class DedupingCommandService : ICommandService
{
    /// <summary>How long a delivery key is remembered by default: 15 minutes (the issue asks for at least 10).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    /// <summary>The shortest window allowed: 10 minutes, longer than any platform retries a delivery.</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromMinutes(10);

    /// <summary>The answer to a duplicate when the first delivery's reply is not (yet) known.</summary>
    public const string AlreadyReceived = "Already received: this was handled once (or is being handled) and was not done again. The run's card shows where it stands.";

    private readonly ICommandService _inner;
    private readonly IDeliveryLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger<DedupingCommandService> _logger;
    private readonly TimeSpan _window;
    private readonly IRunStore? _runs;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The pipeline (Core's <see cref="CommandService"/>).</param>
    /// <param name="log">Where delivery keys are recorded.</param>
    /// <param name="time">The clock that dates the keys' expiry.</param>
    /// <param name="logger">Logs duplicates (key and kind, no content).</param>
    /// <param name="window">How long a key is remembered; null means <see cref="DefaultWindow"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is shorter than <see cref="MinimumWindow"/>.</exception>
    /// <param name="runs">Where a parked run's current parking is read, for the keys of decisions (see <see cref="HandleActionAsync"/>); null treats decisions like other clicks.</param>
    public DedupingCommandService(ICommandService inner, IDeliveryLog log, TimeProvider time, ILogger<DedupingCommandService> logger, TimeSpan? window = null, IRunStore? runs = null)
    {
        _runs = runs;
        _window = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(_window, MinimumWindow, nameof(window));
        _inner = inner;
        _log = log;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken) =>
        OnceAsync(command.DeliveryKey, "command", ct => _inner.HandleAsync(command, ct), cancellationToken);

    /// <summary>
    /// Handles a click once per delivery key. A decision on a parked run (retry, continue, roll back, abandon) is keyed
    /// to the parking it answers as well: the same person may rightly press Retry again when the retried step parks
    /// the run once more, and that second press must not be taken for a duplicate of the first.
    /// </summary>
    public async Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken)
    {
        var key = action.DeliveryKey;
        if (!string.IsNullOrEmpty(key) && _runs is not null && RunDecisions.IsDecision(action.Action)
            && await _runs.GetAsync(action.RunId, cancellationToken) is { Value.Vars: var vars }
            && vars.TryGetValue(RunDecisions.ParkingVar, out var parking))
        {
            key = $"{key}@{parking}";
        }
        return await OnceAsync(key, "action", ct => _inner.HandleActionAsync(action, ct), cancellationToken);
    }

    private async Task<CommandReply> OnceAsync(string? key, string kind, Func<CancellationToken, Task<CommandReply>> handle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key)) return await handle(cancellationToken);

        var expiresAt = _time.GetUtcNow() + _window;
        if (!await _log.TryRecordAsync(key, expiresAt, cancellationToken))
        {
            var first = await _log.GetReplyAsync(key, cancellationToken);
            LogDuplicate(_logger, kind, key, first is not null);
            return (first ?? new CommandReply(AlreadyReceived, ReplyVisibility.Ephemeral)) with { IsDuplicate = true };
        }

        CommandReply reply;
        try
        {
            reply = await handle(cancellationToken);
        }
        catch
        {
            await ForgetQuietlyAsync(key);
            throw;
        }
        try
        {
            await _log.SaveReplyAsync(key, reply, expiresAt, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The effect happened and the key is recorded; a duplicate then gets the neutral answer instead of this one.
            LogReplyNotSaved(_logger, e, key);
        }
        return reply;
    }

    private async Task ForgetQuietlyAsync(string key)
    {
        try
        {
            await _log.ForgetAsync(key, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogForgetFailed(_logger, e, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Kind} {DeliveryKey} not handled again (first reply known: {ReplyKnown})")]
    private static partial void LogDuplicate(ILogger logger, string kind, string deliveryKey, bool replyKnown);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remember the reply for {DeliveryKey}; a duplicate will get a neutral answer")]
    private static partial void LogReplyNotSaved(ILogger logger, Exception exception, string deliveryKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget {DeliveryKey} after a failure; a retry within the window will be answered as a duplicate")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception, string deliveryKey);
}
