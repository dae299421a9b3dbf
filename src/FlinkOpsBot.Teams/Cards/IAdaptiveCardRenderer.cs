using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Cards;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>What one viewer may do with a run's card.</summary>
/// <param name="CanDecide">True when this viewer may approve or reject now (the card shows the buttons).</param>
/// <param name="Notice">A line shown to this viewer only, e.g. a refusal ("You requested R-7Q2K, so …"), or null.</param>
/// <param name="CanCancel">True when this viewer may cancel the run now (its requester, while the gate is open): the card shows Cancel.</param>
internal sealed record CardViewer(bool CanDecide, string? Notice = null, bool CanCancel = false);

/// <summary>
/// Renders the channel-neutral <see cref="RunCard"/> as an Adaptive Card (schema 1.5, what Teams renders).
/// The shared card (posted in the conversation, updated with PUT) shows the status, Approve / Reject while the gate is
/// open (<c>Action.Execute</c> with an <c>Action.Submit</c> fallback, for clients that never refresh), and a
/// <c>refresh</c> (<c>Action.Execute</c>, verb <c>refresh</c>) so that each viewer's client fetches its own view;
/// a viewer's card shows the buttons only when that viewer may decide. Actions carry <c>data: { "runId": "R-XXXX" }</c>; verbs are <c>approve</c>, <c>reject</c>, <c>refresh</c>.
/// </summary>
internal interface IAdaptiveCardRenderer
{
    /// <summary>The shared card. <paramref name="refreshUserIds"/>: Teams user MRIs (<c>29:…</c>, at most 60) whose clients refresh automatically; null for everyone (conversations up to 60 members).</summary>
    JsonObject RenderShared(RunCard card, IReadOnlyList<string>? refreshUserIds);

    /// <summary>The card as one viewer sees it (the answer to an <c>adaptiveCard/action</c> invoke).</summary>
    JsonObject RenderFor(RunCard card, CardViewer viewer);
}
