using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Teams.Cards;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// A run's card as one person sees it, read fresh from the stores: the card Core builds
/// (<see cref="RunCardBuilder.Build"/> over the run, its recipe and its committed timeline), with Approve / Reject only
/// when <see cref="GateRules.Refusal"/> lets this person approve now, and a parked run's choices only when
/// <see cref="RunDecisions.Refusal"/> lets this person decide; approvers named through groups count when
/// <paramref name="authorization"/> is given (the host always gives it).
/// </summary>
internal sealed class RunViews(IRunStore runs, ITimelineStore timeline, RecipeCatalog recipes, IAdaptiveCardRenderer renderer,
    IAuthorizationPolicy? authorization = null)
{
    /// <summary>The viewer's card, or null when the run (or its recipe) does not exist.</summary>
    public async Task<JsonObject?> RenderForAsync(RunId runId, Actor viewer, string? notice, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(runId, cancellationToken) is not { Value: var run } || recipes.Find(run.RecipeId) is not { } recipe) return null;
        var events = (await timeline.ListAsync(run.Id, cancellationToken)).Where(e => e.Sequence < run.TimelineSequence).ToList();
        var card = RunCardBuilder.Build(run, recipe, events);
        var who = authorization is not null && run.Gate is { } gate && !run.State.IsTerminal()
            ? await authorization.MatchAsync(viewer, gate.Approvers, cancellationToken)
            : null;
        var canDecide = run.State switch
        {
            RunState.AwaitingApproval => GateRules.Refusal(run, viewer, GateAction.Approve, who) is null,
            RunState.AwaitingDecision => RunDecisions.Refusal(run, viewer, GateAction.Retry, null, who) is null,
            _ => false,
        };
        var canCancel = run.State == RunState.AwaitingApproval && GateRules.Refusal(run, viewer, GateAction.Cancel) is null;
        return renderer.RenderFor(card, new CardViewer(canDecide, notice, canCancel));
    }
}
