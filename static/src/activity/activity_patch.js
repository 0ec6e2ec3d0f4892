import { Activity } from "@mail/core/web/activity";
import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";
import { patch } from "@web/core/utils/patch";

/**
 * "Mark Done" on a collection phone call asks for its outcome: the server's
 * call dialog (account.collection.call.wizard) sets up the next step and marks
 * the call done, then the caller reloads what changed.
 */
async function logCollectionCall(env, activity, onLogged) {
    const action = await env.services.orm.call("mail.activity", "action_collection_log_call", [
        [activity.id],
    ]);
    await env.services.action.doAction(action, { onClose: onLogged });
}

patch(Activity.prototype, {
    async onClickMarkAsDone(ev) {
        if (!this.props.activity.collection_call) {
            return super.onClickMarkAsDone(ev);
        }
        const thread = this.thread;
        await logCollectionCall(this.env, this.props.activity, () => {
            this.props.onActivityChanged(thread);
            this.props.reloadParentView();
        });
    },
});

patch(ActivityListPopoverItem.prototype, {
    onClickMarkAsDone() {
        if (!this.props.activity.collection_call) {
            return super.onClickMarkAsDone();
        }
        return logCollectionCall(this.env, this.props.activity, () =>
            this.props.onActivityChanged?.()
        );
    },
});
