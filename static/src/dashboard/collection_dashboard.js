import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const MODEL = "account.collection.dashboard";

/**
 * The credit controller's dashboard: the figures come formatted from
 * account.collection.dashboard.get_dashboard_data; each card opens the records
 * behind it (action_open_kpi, the domain is defined on the server).
 */
export class CollectionDashboard extends Component {
    static template = "account_collection.CollectionDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({
            data: null,
            options: { period: "month", collector_id: false, segment_id: false },
        });
        this.amountsCanvas = useRef("amountsCanvas");
        this.ratiosCanvas = useRef("ratiosCanvas");
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => this.renderCharts(),
            () => [this.state.data]
        );
        onWillUnmount(() => this.destroyCharts());
    }

    get periods() {
        return [
            { key: "month", label: _t("Month to date") },
            { key: "quarter", label: _t("Last 90 days") },
            { key: "year", label: _t("Last 12 months") },
        ];
    }

    async load() {
        this.state.data = await this.orm.call(MODEL, "get_dashboard_data", [
            { ...this.state.options },
        ]);
    }

    async setPeriod(period) {
        this.state.options.period = period;
        await this.load();
    }

    async onFilterChange(name, ev) {
        this.state.options[name] = parseInt(ev.target.value) || false;
        await this.load();
    }

    async openKpi(key) {
        const action = await this.orm.call(MODEL, "action_open_kpi", [
            key,
            { ...this.state.options },
        ]);
        await this.actionService.doAction(action);
    }

    async runAction(method) {
        const action = await this.orm.call(MODEL, method, [{ ...this.state.options }]);
        await this.actionService.doAction(action);
    }

    openPartner(partnerId) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }

    renderCharts() {
        this.destroyCharts();
        const trend = this.state.data?.trend || [];
        const labels = trend.map((point) => point.label);
        if (this.amountsCanvas.el) {
            this.charts.push(
                new Chart(this.amountsCanvas.el, {
                    type: "bar",
                    data: {
                        labels,
                        datasets: [
                            {
                                label: _t("Receivables"),
                                data: trend.map((point) => point.receivables),
                                backgroundColor: "#4A90C8",
                            },
                            {
                                label: _t("Overdue"),
                                data: trend.map((point) => point.overdue),
                                backgroundColor: "#E07A5F",
                            },
                        ],
                    },
                    options: {
                        maintainAspectRatio: false,
                        plugins: {
                            tooltip: {
                                callbacks: {
                                    label: (item) => {
                                        const point = trend[item.dataIndex];
                                        const value = item.datasetIndex
                                            ? point.overdue_formatted
                                            : point.receivables_formatted;
                                        return `${item.dataset.label}: ${value}`;
                                    },
                                },
                            },
                        },
                    },
                })
            );
        }
        if (this.ratiosCanvas.el) {
            this.charts.push(
                new Chart(this.ratiosCanvas.el, {
                    type: "line",
                    data: {
                        labels,
                        datasets: [
                            {
                                label: _t("DSO (days)"),
                                data: trend.map((point) => point.dso_simple),
                                borderColor: "#4A90C8",
                                yAxisID: "days",
                            },
                            {
                                label: _t("DSO Count-back (days)"),
                                data: trend.map((point) => point.dso_countback),
                                borderColor: "#81B29A",
                                yAxisID: "days",
                            },
                            {
                                label: _t("Collection Effectiveness (%)"),
                                data: trend.map((point) => point.cei),
                                borderColor: "#E07A5F",
                                yAxisID: "percent",
                            },
                        ],
                    },
                    options: {
                        maintainAspectRatio: false,
                        scales: {
                            days: { type: "linear", position: "left", beginAtZero: true },
                            percent: {
                                type: "linear",
                                position: "right",
                                beginAtZero: true,
                                grid: { drawOnChartArea: false },
                            },
                        },
                        plugins: {
                            tooltip: {
                                callbacks: {
                                    label: (item) => {
                                        const point = trend[item.dataIndex];
                                        const value = [
                                            point.dso_simple_formatted,
                                            point.dso_countback_formatted,
                                            point.cei_formatted,
                                        ][item.datasetIndex];
                                        return `${item.dataset.label}: ${value}`;
                                    },
                                },
                            },
                        },
                    },
                })
            );
        }
    }
}

registry.category("actions").add("account_collection.dashboard", CollectionDashboard);
