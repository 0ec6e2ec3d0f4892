import { onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * The late-payment rates list with a warning banner above it when a half-year
 * begun and still used has no rate entered: the lines come translated from
 * account.collection.rate.get_missing_rates_banner (Odoo 18 Community's list
 * view does not fetch a banner_route by itself). Reloaded when a rate is saved.
 */
export class CollectionRateListController extends ListController {
    static template = "account_collection.RateListView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.missingRates = useState({ lines: [] });
        onWillStart(() => this.loadMissingRates());
    }

    async loadMissingRates() {
        this.missingRates.lines = await this.orm.call(
            "account.collection.rate",
            "get_missing_rates_banner",
            []
        );
    }

    async onRecordSaved(record) {
        await super.onRecordSaved(...arguments);
        await this.loadMissingRates();
    }
}

export const collectionRateListView = {
    ...listView,
    Controller: CollectionRateListController,
};

registry.category("views").add("account_collection_rate_list", collectionRateListView);
