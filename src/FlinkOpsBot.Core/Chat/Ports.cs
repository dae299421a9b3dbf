using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Chat;

/// <summary>A change to a run that a chat channel should show.</summary>
/// <param name="Run">The run as persisted.</param>
/// <param name="Card">The run's card, re-rendered.</param>
/// <param name="NewEvents">Timeline events added by this change, in order (shown as thread replies).</param>
public sealed record RunUpdate(Run Run, RunCard Card, IReadOnlyList<TimelineEvent> NewEvents);

/// <summary>
/// A chat platform's side of a run: post the card where the command was typed, update it in place as the run moves,
/// and reply in its thread with timeline events. Implementations remember where the card lives
/// (<see cref="Storage.IConversationStore"/>).
/// </summary>
public interface IChatChannel
{
    /// <summary>The platform this channel serves (<see cref="ChannelRef.Platform"/>), e.g. <c>slack</c>.</summary>
    string Platform { get; }

    /// <summary>Shows <paramref name="update"/>: posts the card the first time, updates it after, and posts new events in its thread.</summary>
    Task PublishAsync(RunUpdate update, CancellationToken cancellationToken);
}

/// <summary>Sends run changes to the channel the run came from.</summary>
public interface IRunPublisher
{
    /// <summary>Publishes the change; failures are logged, never thrown (the next change re-renders the whole card).</summary>
    Task PublishAsync(Run run, IReadOnlyList<TimelineEvent> newEvents, CancellationToken cancellationToken);
}

/// <summary>Wakes the engine for a run that changed outside it (created, approved), so it does not wait for its next poll.</summary>
public interface IRunSignal
{
    /// <summary>Asks the engine to look at <paramref name="runId"/> soon.</summary>
    void Wake(RunId runId);
}
