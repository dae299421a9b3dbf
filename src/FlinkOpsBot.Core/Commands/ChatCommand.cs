using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Commands;

/// <summary>A line typed by a verified person in a channel.</summary>
/// <param name="Text">The text after the slash command or mention, e.g. <c>upgrade orders-enricher --jar x.jar</c>.</param>
/// <param name="Actor">Who typed it (verified by the adapter).</param>
/// <param name="Channel">Where it was typed.</param>
public sealed record ChatCommand(string Text, Actor Actor, ChannelRef Channel)
{
    /// <summary>
    /// What makes this delivery the same as an earlier one, set by the adapter from the platform's own ids, e.g.
    /// <c>slack:{team}:cmd:{trigger_id}</c> or <c>teams:{tenant}:msg:{conversation}:{activity id}</c>. Two commands with
    /// the same key within the delivery window (<see cref="DedupingCommandService.DefaultWindow"/>) have one effect. Null
    /// (the default, e.g. the local shell) means never a duplicate.
    /// </summary>
    public string? DeliveryKey { get; init; }
}

/// <summary>A button pressed on a run's card.</summary>
/// <param name="RunId">The run the card shows.</param>
/// <param name="Action">Approve, reject or cancel at the gate; retry, continue, roll back or abandon a parked run.</param>
/// <param name="Actor">Who pressed it (verified by the adapter).</param>
/// <param name="Channel">Where the card is.</param>
/// <param name="Comment">An optional reason.</param>
public sealed record ChatAction(RunId RunId, GateAction Action, Actor Actor, ChannelRef Channel, string? Comment = null)
{
    /// <summary>
    /// What makes this click the same as an earlier one, set by the adapter: the same person on the same button of
    /// the same card, e.g. <c>slack:{team}:act:{user}:{message_ts}:{action_id}:{run id}</c> or
    /// <c>teams:{tenant}:act:{object id}:{verb}:{run id}</c>, so a double click or a redelivery has one effect and a
    /// second person's click is not a duplicate. Null (the default) means never a duplicate.
    /// </summary>
    public string? DeliveryKey { get; init; }

    /// <summary>
    /// The short hash of the plan the card showed when it was clicked (<see cref="Plans.RunPlan.Hash"/>: the Slack
    /// button's <c>value</c>, the Teams action's <c>data.planHash</c>), for Approve. An approval of a plan that has since
    /// changed is refused. Null (a card without one) approves the plan as it stands.
    /// </summary>
    public string? PlanHash { get; init; }
}

/// <summary>Who sees a reply.</summary>
public enum ReplyVisibility
{
    /// <summary>Only the person who typed the command (Slack ephemeral).</summary>
    Ephemeral,
    /// <summary>Everyone in the channel.</summary>
    InChannel,
}

/// <summary>
/// The immediate answer to a command or action. Text uses backticks for code and plain line breaks, which every
/// channel renders; no platform markup.
/// </summary>
/// <param name="Text">The answer.</param>
/// <param name="Visibility">Who sees it.</param>
/// <param name="RunId">The run the command started or acted on, if any.</param>
/// <param name="Accepted">False when the command was refused or not understood (the shell's script mode fails on those).</param>
public sealed record CommandReply(string Text, ReplyVisibility Visibility, RunId? RunId = null, bool Accepted = true)
{
    /// <summary>
    /// True when this answers a repeated delivery (<see cref="ChatCommand.DeliveryKey"/> seen before): nothing was done
    /// this time, and the text is the reply given the first time, or a neutral "already received". Adapters need not
    /// show it again to the channel. Default false.
    /// </summary>
    public bool IsDuplicate { get; init; }

    /// <summary>
    /// A file that goes with the answer (a timeline export), or null (the default). Slack uploads it to the channel
    /// (<c>files.uploadV2</c> flow); Teams shows it inline with a link to the HTTP export; the shell prints it.
    /// </summary>
    public ReplyFile? File { get; init; }

    /// <summary>A refusal or usage error only the actor sees.</summary>
    public static CommandReply Refused(string text) => new(text, ReplyVisibility.Ephemeral, Accepted: false);

    /// <summary>A read-only answer only the actor sees.</summary>
    public static CommandReply Private(string text) => new(text, ReplyVisibility.Ephemeral);
}

/// <summary>The one pipeline every channel sends commands and card actions through.</summary>
public interface ICommandService
{
    /// <summary>Parses, authorizes, checks, locks and starts or answers; never throws for bad input.</summary>
    Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken);

    /// <summary>Applies a gate decision from a card button; never throws for a refused or stale action.</summary>
    Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken);
}
