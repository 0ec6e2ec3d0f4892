import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

from ..report.account_collection_aged_receivable import BUCKET_AMOUNT_FIELDS
from ..tools.xlsx import FittedSheet, excel_date_format, name_sort_key, sheet_name

FETCH_SIZE = 5000


class AccountCollectionXlsx(models.AbstractModel):
    """Excel exports of the collection reports, written in one pass.

    Workbooks are written row by row in ``constant_memory`` mode (xlsxwriter flushes
    each row as soon as the next one starts) into an in-memory buffer, then stored
    as an attachment that the browser downloads.
    """

    _name = "account.collection.xlsx"
    _description = "Collection Excel Exports"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _new_workbook(self):
        output = io.BytesIO()
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        workbook = xlsxwriter.Workbook(
            output, {"constant_memory": True, "strings_to_numbers": False}
        )
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
            ),
            "date": workbook.add_format(
                {"num_format": excel_date_format(lang.date_format)}
            ),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "int": workbook.add_format({"num_format": "0"}),
            "subtotal_label": workbook.add_format({"bold": True, "top": 1}),
            "subtotal": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "#,##0.00"}
            ),
            "total_label": workbook.add_format({"bold": True, "top": 2, "bottom": 2}),
            "total": workbook.add_format(
                {"bold": True, "top": 2, "bottom": 2, "num_format": "#,##0.00"}
            ),
        }
        return output, workbook, styles

    @api.model
    def _add_sheet(self, workbook, styles, name, headers, titles=()):
        """Add a worksheet named after ``name`` (made valid and unique in the
        workbook) with ``titles`` on the first rows (the first one as a title), an
        empty row, then the header row of ``headers`` (on the first row when there
        is no title). The sheet sizes its columns to their longest value, freezes
        the header and filters the data when ``finish`` is called."""
        used = {sheet.name.lower() for sheet in workbook.worksheets()}
        sheet = workbook.add_worksheet(sheet_name(name, used))
        for row, title in enumerate(titles):
            sheet.write_string(row, 0, title, styles["title"] if row == 0 else None)
        header_row = len(titles) + 1 if titles else 0
        for col, header in enumerate(headers):
            sheet.write_string(header_row, col, header, styles["header"])
        return FittedSheet(sheet, header_row, headers)

    @api.model
    def _company_subtitle(self, company, as_of, scope=None):
        subtitle = _(
            "%(company)s, as of %(date)s, in %(currency)s",
            company=company.name,
            date=format_date(self.env, as_of),
            currency=company.currency_id.name,
        )
        return f"{subtitle} ({scope})" if scope else subtitle

    @api.model
    def _close_workbook(self, output, workbook):
        """Close ``workbook`` and return its content."""
        workbook.close()
        return output.getvalue()

    @api.model
    def _fetch(self, query):
        """Yield the rows of ``query`` in chunks, as dicts."""
        self.env.cr.execute(query)
        columns = [column.name for column in self.env.cr.description]
        while rows := self.env.cr.fetchmany(FETCH_SIZE):
            for row in rows:
                yield dict(zip(columns, row, strict=True))

    @api.model
    def _download(self, filename, content):
        """Store ``content`` as an attachment and return the action downloading it."""
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "raw": content,
                    "mimetype": "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                    "res_model": self._name,
                    "public": False,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _customer_order(self, partner_ids_query):
        """Return the ids of the partners of ``partner_ids_query`` in alphabetical
        order of their names (accents and case ignored), as the user reads them:
        the database collation may sort by bytes ("Électricité" after "Zinc")."""
        rows = self.env.execute_query(
            SQL("SELECT id, name FROM res_partner WHERE id IN (%s)", partner_ids_query)
        )
        return [
            partner_id
            for partner_id, name in sorted(
                rows, key=lambda row: (name_sort_key(row[1]), row[0])
            )
        ]

    @api.model
    def _aged_rows_query(self, as_of, companies, partner=None, partner_ids=None):
        """The open items as of ``as_of``: of ``partner`` only, or of the customers
        ``partner_ids`` (the dashboard's filters), or of every customer."""
        aged = self.env["account.collection.aged.receivable"]
        partner_filter = SQL()
        if partner:
            partner_filter = SQL("AND aged.partner_id = %s", partner.id)
        elif partner_ids is not None:
            partner_filter = SQL("AND aged.partner_id = ANY(%s)", list(partner_ids))
        # The customers of the companies' receivable lines, a superset of the
        # customers with an open item as of the date.
        customers = SQL(
            """
            SELECT COALESCE(partner.commercial_partner_id, line.partner_id)
              FROM account_move_line line
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_account account ON account.id = line.account_id
             WHERE line.company_id = ANY(%s)
               AND account.account_type = 'asset_receivable'
            """,
            companies.ids,
        )
        return SQL(
            """
            SELECT aged.*, partner.name AS partner_name, move.name AS move_name,
                   move.ref AS move_ref
              FROM (%(aged)s) aged
         LEFT JOIN res_partner partner ON partner.id = aged.partner_id
         LEFT JOIN unnest(%(order)s::int[]) WITH ORDINALITY
                   AS customer_order(partner_id, position)
                ON customer_order.partner_id = aged.partner_id
              JOIN account_move move ON move.id = aged.move_id
             WHERE TRUE %(partner_filter)s
          ORDER BY aged.company_id, customer_order.position, aged.partner_id,
                   aged.date_maturity, aged.id
            """,
            aged=aged._aged_query(as_of, companies.ids),
            order=self._customer_order(SQL("%s", partner.id) if partner else customers),
            partner_filter=partner_filter,
        )

    @api.model
    def _aged_balance_xlsx(self, as_of, companies, partner_ids=None, scope=None):
        """Return the aged balance workbook: one sheet per company, one row per open
        item, a subtotal per customer and a total per bucket; only the customers
        ``partner_ids`` if given, the filter described by ``scope`` under the title."""
        aged = self.env["account.collection.aged.receivable"]
        self.env.flush_all()
        output, workbook, styles = self._new_workbook()
        sheets = {}
        for company in companies.sorted("id"):
            labels = aged._bucket_labels(company)
            headers = [
                _("Customer"),
                _("Document"),
                _("Reference"),
                _("Date"),
                _("Due Date"),
                _("Days Overdue"),
                *labels,
                _("Total"),
            ]
            sheet = self._add_sheet(
                workbook,
                styles,
                company.name,
                headers,
                titles=[
                    _("Aged Receivables"),
                    self._company_subtitle(company, as_of, scope),
                ],
            )
            sheets[company.id] = {"sheet": sheet, "row": 4, "first": 4}
        bucket_cols = len(BUCKET_AMOUNT_FIELDS)
        state = {"company": None, "partner": None, "start": None, "sums": None}

        def close_partner():
            if state["partner"] is None:
                return
            info = sheets[state["company"]]
            self._write_subtotal_row(
                info["sheet"],
                info["row"],
                state["start"],
                _("Total %s", state["name"]),
                state["sums"],
                styles,
                ("subtotal_label", "subtotal"),
            )
            info["row"] += 1
            info.setdefault("totals", [0.0] * (bucket_cols + 1))
            info["totals"] = [
                a + b for a, b in zip(info["totals"], state["sums"], strict=True)
            ]
            state["partner"] = None

        for row in self._fetch(
            self._aged_rows_query(as_of, companies, partner_ids=partner_ids)
        ):
            if (row["company_id"], row["partner_id"]) != (
                state["company"],
                state["partner"],
            ):
                close_partner()
                state.update(
                    company=row["company_id"],
                    partner=row["partner_id"],
                    name=row["partner_name"] or _("(no customer)"),
                    start=sheets[row["company_id"]]["row"],
                    sums=[0.0] * (bucket_cols + 1),
                )
            info = sheets[row["company_id"]]
            sheet, line = info["sheet"], info["row"]
            amounts = [float(row[name]) for name in BUCKET_AMOUNT_FIELDS]
            amounts.append(float(row["amount_residual"]))
            sheet.write_string(line, 0, state["name"])
            sheet.write_string(line, 1, row["move_name"] or "")
            if row["move_ref"]:
                sheet.write_string(line, 2, row["move_ref"])
            sheet.write_datetime(line, 3, row["date"], styles["date"])
            sheet.write_datetime(line, 4, row["date_maturity"], styles["date"])
            sheet.write_number(line, 5, row["days_overdue"], styles["int"])
            for offset, amount in enumerate(amounts):
                # Empty periods stay blank: a third of the cells, same totals.
                if amount:
                    sheet.write_number(line, 6 + offset, amount, styles["money"])
            state["sums"] = [a + b for a, b in zip(state["sums"], amounts, strict=True)]
            info["row"] += 1
        close_partner()
        for info in sheets.values():
            self._write_subtotal_row(
                info["sheet"],
                info["row"],
                info["first"],
                _("Total"),
                info.get("totals", [0.0] * (bucket_cols + 1)),
                styles,
                ("total_label", "total"),
            )
            info["sheet"].finish(info["row"] - 1)
        return self._close_workbook(output, workbook)

    @api.model
    def _write_subtotal_row(self, sheet, row, start, label, sums, styles, style_names):
        """Write a SUBTOTAL row over the amount columns of rows ``start`` to
        ``row - 1`` (nested SUBTOTAL rows are not counted twice), with the value."""
        label_style, money_style = (styles[name] for name in style_names)
        sheet.write_string(row, 0, label, label_style)
        for col in range(1, 6):
            sheet.write_blank(row, col, None, label_style)
        for offset, amount in enumerate(sums):
            col = 6 + offset
            if row > start:
                first = xlsxwriter.utility.xl_rowcol_to_cell(start, col)
                last = xlsxwriter.utility.xl_rowcol_to_cell(row - 1, col)
                sheet.write_formula(
                    row,
                    col,
                    f"=SUBTOTAL(9,{first}:{last})",
                    money_style,
                    round(amount, 2),
                )
            else:
                sheet.write_number(row, col, 0.0, money_style)

    @api.model
    def _customer_statement_xlsx(self, partner, as_of, companies):
        """Return the statement of one customer: its open items with their ageing
        and a summary per bucket, one sheet per company."""
        aged = self.env["account.collection.aged.receivable"]
        self.env.flush_all()
        output, workbook, styles = self._new_workbook()
        rows_by_company = {}
        for row in self._fetch(
            self._aged_rows_query(as_of, companies, partner.commercial_partner_id)
        ):
            rows_by_company.setdefault(row["company_id"], []).append(row)
        for company in companies.sorted("id"):
            rows = rows_by_company.get(company.id, [])
            labels = aged._bucket_labels(company)
            headers = [
                _("Document"),
                _("Reference"),
                _("Date"),
                _("Due Date"),
                _("Days Overdue"),
                _("Period"),
                _("Amount Due"),
            ]
            sheet = self._add_sheet(
                workbook,
                styles,
                company.name,
                headers,
                titles=[
                    _("Customer Statement"),
                    partner.commercial_partner_id.display_name,
                    self._company_subtitle(company, as_of),
                ],
            )
            line, sums = 5, [0.0] * len(labels)
            for row in rows:
                amount = float(row["amount_residual"])
                sheet.write_string(line, 0, row["move_name"] or "")
                sheet.write_string(line, 1, row["move_ref"] or "")
                sheet.write_datetime(line, 2, row["date"], styles["date"])
                sheet.write_datetime(line, 3, row["date_maturity"], styles["date"])
                sheet.write_number(line, 4, row["days_overdue"], styles["int"])
                sheet.write_string(line, 5, labels[int(row["bucket"])])
                sheet.write_number(line, 6, amount, styles["money"])
                sums[int(row["bucket"])] += amount
                line += 1
            data_end = line - 1
            sheet.write_string(line, 5, _("Total"), styles["total_label"])
            sheet.write_number(line, 6, round(sum(sums), 2), styles["total"])
            line += 2
            for label, amount in zip(labels, sums, strict=True):
                sheet.write_string(line, 5, label, styles["subtotal_label"])
                sheet.write_number(line, 6, round(amount, 2), styles["subtotal"])
                line += 1
            sheet.finish(data_end)
        return self._close_workbook(output, workbook)

    @api.model
    def _dunning_history_xlsx(self, lines):
        """Return the dunning history workbook of the communication lines ``lines``."""
        self.env.flush_all()
        output, workbook, styles = self._new_workbook()
        headers = [
            _("Date"),
            _("Customer"),
            _("Company"),
            _("Level"),
            _("Document"),
            _("Due Date"),
            _("Days Overdue"),
            _("Amount Due"),
            _("Currency"),
            _("Status"),
        ]
        sheet = self._add_sheet(
            workbook,
            styles,
            _("Dunning History"),
            headers,
        )
        states = dict(
            self.env["account.collection.communication"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        query = SQL(
            """
            SELECT line.date, partner.name AS partner_name, company.name AS company_name,
                   level.name AS level_name, move.name AS move_name, line.date_maturity,
                   line.days_overdue, line.amount_residual, currency.name AS currency,
                   communication.state
              FROM account_collection_communication_line line
              JOIN account_collection_communication communication
                ON communication.id = line.communication_id
              JOIN res_company company ON company.id = line.company_id
         LEFT JOIN res_partner partner ON partner.id = line.partner_id
         LEFT JOIN account_collection_level level ON level.id = line.level_id
         LEFT JOIN account_move move ON move.id = line.move_id
         LEFT JOIN res_currency currency ON currency.id = line.currency_id
         LEFT JOIN unnest(%s::int[]) WITH ORDINALITY
                   AS customer_order(partner_id, position)
                ON customer_order.partner_id = line.partner_id
             WHERE line.id = ANY(%s)
          ORDER BY line.date, customer_order.position, line.id
            """,
            self._customer_order(
                SQL(
                    """SELECT partner_id FROM account_collection_communication_line
                        WHERE id = ANY(%s)""",
                    lines.ids,
                )
            ),
            lines.ids,
        )
        row_index, total = 1, 0.0
        for row in self._fetch(query):
            level_name = row["level_name"]
            if isinstance(level_name, dict):
                level_name = level_name.get(self.env.lang) or level_name.get("en_US")
            sheet.write_datetime(row_index, 0, row["date"], styles["date"])
            sheet.write_string(row_index, 1, row["partner_name"] or "")
            sheet.write_string(row_index, 2, row["company_name"] or "")
            sheet.write_string(row_index, 3, level_name or "")
            sheet.write_string(row_index, 4, row["move_name"] or "")
            if row["date_maturity"]:
                sheet.write_datetime(row_index, 5, row["date_maturity"], styles["date"])
            sheet.write_number(row_index, 6, row["days_overdue"] or 0, styles["int"])
            amount = float(row["amount_residual"] or 0.0)
            sheet.write_number(row_index, 7, amount, styles["money"])
            sheet.write_string(row_index, 8, row["currency"] or "")
            sheet.write_string(
                row_index, 9, states.get(row["state"], row["state"] or "")
            )
            total += amount
            row_index += 1
        sheet.write_string(row_index, 6, _("Total"), styles["total_label"])
        sheet.write_number(row_index, 7, round(total, 2), styles["total"])
        sheet.finish(row_index - 1)
        return self._close_workbook(output, workbook)

    @api.model
    def _action_dunning_history(self, lines):
        """Download the dunning history of the communication lines ``lines``."""
        return self._download(
            f"dunning_history_{fields.Date.to_string(fields.Date.context_today(self))}"
            ".xlsx",
            self._dunning_history_xlsx(lines),
        )

    @api.model
    def _audit_xlsx(self, audit):
        """Return the workbook of an audit: one row per finding seen by the audit,
        with a total per rule on a summary sheet."""
        output, workbook, styles = self._new_workbook()
        summary = self._add_sheet(
            workbook,
            styles,
            _("Summary"),
            [_("Rule"), _("Findings"), _("Amount")],
            titles=[audit.name],
        )
        finding_model = self.env["account.collection.audit.finding"]
        rules = dict(finding_model._fields["rule"]._description_selection(self.env))
        severities = dict(
            finding_model._fields["severity"]._description_selection(self.env)
        )
        states = dict(finding_model._fields["state"]._description_selection(self.env))
        headers = [
            _("Rule"),
            _("Severity"),
            _("Record"),
            _("Customer"),
            _("Amount"),
            _("Description"),
            _("Status"),
            _("Responsible"),
        ]
        sheet = self._add_sheet(workbook, styles, _("Findings"), headers)
        per_rule = {}
        findings = audit.seen_finding_ids.sorted(lambda f: (f.rule, f.id))
        for row, finding in enumerate(findings, 1):
            sheet.write_string(row, 0, rules[finding.rule])
            sheet.write_string(row, 1, severities[finding.severity])
            sheet.write_string(row, 2, finding.record_name or "")
            sheet.write_string(row, 3, finding.partner_id.display_name or "")
            sheet.write_number(row, 4, finding.amount, styles["money"])
            sheet.write_string(row, 5, finding.description or "")
            sheet.write_string(row, 6, states[finding.state])
            sheet.write_string(row, 7, finding.user_id.name or "")
            count, amount = per_rule.get(finding.rule, (0, 0.0))
            per_rule[finding.rule] = (count + 1, amount + finding.amount)
        sheet.finish(len(findings))
        row = 3
        for rule, label in rules.items():
            count, amount = per_rule.get(rule, (0, 0.0))
            summary.write_string(row, 0, label)
            summary.write_number(row, 1, count, styles["int"])
            summary.write_number(row, 2, round(amount, 2), styles["money"])
            row += 1
        summary.write_string(row, 0, _("Total"), styles["total_label"])
        summary.write_number(row, 1, len(findings), styles["total"])
        summary.write_number(
            row, 2, round(sum(a for _c, a in per_rule.values()), 2), styles["total"]
        )
        summary.finish(row - 1)
        return self._close_workbook(output, workbook)
